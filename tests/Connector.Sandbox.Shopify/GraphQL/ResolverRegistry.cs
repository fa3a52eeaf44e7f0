using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.GraphQL;

/// <summary>Resolves one field of a source object. May return a <see cref="Task{TResult}"/> on root fields only.</summary>
internal delegate object? FieldResolver(object source, JsonObject arguments, ExecutionContext context);

/// <summary>The fields the simulator implements on one schema type.</summary>
internal sealed class TypeResolvers(string typeName)
{
    private readonly Dictionary<string, FieldResolver> _fields = new(StringComparer.Ordinal);

    public string TypeName { get; } = typeName;

    public IEnumerable<string> FieldNames => _fields.Keys;

    public bool Supports(string field) => _fields.ContainsKey(field);

    public FieldResolver Get(string field) => _fields[field];

    public TypeResolvers Add(string field, FieldResolver resolver)
    {
        _fields.Add(field, resolver);
        return this;
    }
}

/// <summary>Builder with typed sources, so resolvers read like <c>o =&gt; o.Name</c>.</summary>
internal sealed class TypeResolvers<T>(TypeResolvers inner)
{
    public TypeResolvers<T> Field(string name, Func<T, object?> resolve)
    {
        inner.Add(name, (source, _, _) => resolve((T)source));
        return this;
    }

    public TypeResolvers<T> Field(string name, Func<T, ExecutionContext, object?> resolve)
    {
        inner.Add(name, (source, _, context) => resolve((T)source, context));
        return this;
    }

    public TypeResolvers<T> Field(string name, Func<T, JsonObject, ExecutionContext, object?> resolve)
    {
        inner.Add(name, (source, arguments, context) => resolve((T)source, arguments, context));
        return this;
    }
}

/// <summary>Connection plumbing shared by every <c>XConnection</c>/<c>XEdge</c> type (Relay cursor connections).</summary>
internal sealed record Connection(IReadOnlyList<Edge> Edges, PageInfo PageInfo);

internal sealed record Edge(string Cursor, object Node);

internal sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

internal sealed class ResolverRegistry
{
    private readonly Dictionary<string, TypeResolvers> _types = new(StringComparer.Ordinal);
    private readonly TypeResolvers _connection = new("*Connection");
    private readonly TypeResolvers _edge = new("*Edge");

    public ResolverRegistry()
    {
        new TypeResolvers<Connection>(_connection)
            .Field("edges", c => c.Edges)
            .Field("nodes", c => c.Edges.Select(e => e.Node).ToArray())
            .Field("pageInfo", c => c.PageInfo);
        new TypeResolvers<Edge>(_edge)
            .Field("cursor", e => e.Cursor)
            .Field("node", e => e.Node);
        Type<PageInfo>("PageInfo")
            .Field("hasNextPage", p => p.HasNextPage)
            .Field("hasPreviousPage", p => p.HasPreviousPage)
            .Field("startCursor", p => p.StartCursor)
            .Field("endCursor", p => p.EndCursor);
    }

    /// <summary>The explicitly registered types (connections and edges are derived).</summary>
    public IReadOnlyDictionary<string, TypeResolvers> Registered => _types;

    public TypeResolvers<T> Type<T>(string typeName)
    {
        var resolvers = new TypeResolvers(typeName);
        _types.Add(typeName, resolvers);
        return new TypeResolvers<T>(resolvers);
    }

    /// <summary>Same field resolvers registered under several schema type names (e.g. the user error types).</summary>
    public TypeResolvers<T> Types<T>(params string[] typeNames)
    {
        var resolvers = new TypeResolvers(typeNames[0]);
        foreach (var name in typeNames)
        {
            _types.Add(name, resolvers);
        }

        return new TypeResolvers<T>(resolvers);
    }

    /// <summary>The implemented fields of a type; <c>FooConnection</c>/<c>FooEdge</c> exist when <c>Foo</c> is registered.</summary>
    public TypeResolvers? Find(string typeName)
    {
        if (_types.TryGetValue(typeName, out var resolvers))
        {
            return resolvers;
        }

        if (typeName.EndsWith("Connection", StringComparison.Ordinal) && _types.ContainsKey(typeName[..^"Connection".Length]))
        {
            return _connection;
        }

        if (typeName.EndsWith("Edge", StringComparison.Ordinal) && _types.ContainsKey(typeName[..^"Edge".Length]))
        {
            return _edge;
        }

        return null;
    }

    /// <summary>
    /// Slices a sorted list per the connection arguments (first/after/last/before/reverse). Shopify requires first
    /// or last and caps a page at 250 (store-apis.md §2.5 "Input arrays max 250").
    /// </summary>
    public static Connection Paginate<T>(IReadOnlyList<T> sorted, Func<T, long> key, JsonObject arguments)
        where T : notnull
    {
        var first = arguments.Int("first");
        var last = arguments.Int("last");
        if (first is null && last is null)
        {
            throw new FieldErrorException("you must provide one of first or last");
        }

        if (first > 250 || last > 250)
        {
            throw new FieldErrorException($"The value of '{(first > 250 ? "first" : "last")}' must be at most 250 (Shopify's page size limit).", new JsonObject { ["code"] = "MAX_PAGE_SIZE_EXCEEDED" });
        }

        if (first < 0 || last < 0)
        {
            throw new FieldErrorException("The values of 'first' and 'last' must not be negative.");
        }

        IReadOnlyList<T> items = arguments.Bool("reverse") == true ? sorted.Reverse().ToArray() : sorted;
        var start = 0;
        var end = items.Count;
        if (arguments.Str("after") is { } after)
        {
            start = IndexOf(items, key, after) + 1;
        }

        if (arguments.Str("before") is { } before)
        {
            end = IndexOf(items, key, before);
        }

        if (end < start)
        {
            end = start;
        }

        if (first is not null && end - start > first)
        {
            end = start + first.Value;
        }

        if (last is not null && end - start > last)
        {
            start = end - last.Value;
        }

        var edges = new List<Edge>();
        for (var i = start; i < end; i++)
        {
            edges.Add(new Edge(EncodeCursor(key(items[i])), items[i]));
        }

        return new Connection(
            edges,
            new PageInfo(end < items.Count, start > 0, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor));
    }

    /// <summary>Pagination over a list without ids (e.g. shipping lines): the position is the cursor key.</summary>
    public static Connection PaginateByPosition<T>(IReadOnlyList<T> items, JsonObject arguments)
        where T : notnull
    {
        var page = Paginate(items.Select((item, index) => new Positioned(item, index)).ToArray(), p => p.Index, arguments);
        return page with { Edges = page.Edges.Select(e => e with { Node = ((Positioned)e.Node).Item }).ToArray() };
    }

    private sealed record Positioned(object Item, int Index);

    public static string EncodeCursor(long id) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"last_id\":{id}}}"));

    private static int IndexOf<T>(IReadOnlyList<T> items, Func<T, long> key, string cursor)
    {
        long id;
        try
        {
            var json = JsonNode.Parse(Convert.FromBase64String(cursor)) as JsonObject;
            id = json.Long("last_id") ?? throw new FormatException("No last_id.");
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            throw new FieldErrorException($"Invalid cursor for current pagination sort.", new JsonObject { ["code"] = "INVALID_CURSOR" });
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (key(items[i]) == id)
            {
                return i;
            }
        }

        throw new FieldErrorException("Invalid cursor for current pagination sort.", new JsonObject { ["code"] = "INVALID_CURSOR" });
    }
}
