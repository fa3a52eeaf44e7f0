using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;

namespace Connector.Sandbox.Shopify.GraphQL;

/// <summary>One entry of a GraphQL response's <c>errors</c> array, shaped the way Shopify (graphql-ruby) writes them.</summary>
internal sealed record GraphQLError(string Message)
{
    public IReadOnlyList<(int Line, int Column)> Locations { get; init; } = [];

    /// <summary>Strings (field keys, operation labels) and ints (list indexes).</summary>
    public IReadOnlyList<object>? Path { get; init; }

    public JsonObject? Extensions { get; init; }

    public static GraphQLError At(string message, ParsedRequest request, ASTNode? node, IEnumerable<object>? path, JsonObject? extensions) =>
        new(message)
        {
            Locations = node is null ? [] : [request.LocationOf(node)],
            Path = path?.ToArray(),
            Extensions = extensions,
        };

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["message"] = Message };
        if (Locations.Count > 0)
        {
            json["locations"] = new JsonArray(Locations
                .Select(l => (JsonNode)new JsonObject { ["line"] = l.Line, ["column"] = l.Column })
                .ToArray());
        }

        if (Path is not null)
        {
            json["path"] = new JsonArray(Path.Select(p => p is int i ? JsonValue.Create(i) : (JsonNode)JsonValue.Create((string)p)).ToArray());
        }

        if (Extensions is not null)
        {
            json["extensions"] = Extensions.DeepClone();
        }

        return json;
    }
}

/// <summary>A parsed request document plus the source text needed to turn node positions into line/column.</summary>
internal sealed class ParsedRequest
{
    public ParsedRequest(string source, GraphQLDocument document)
    {
        Source = source;
        Document = document;
        Fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            Fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }
    }

    public string Source { get; }

    public GraphQLDocument Document { get; }

    public Dictionary<string, GraphQLFragmentDefinition> Fragments { get; }

    public (int Line, int Column) LocationOf(ASTNode node)
    {
        var location = Location.FromLinearPosition(Source, node.Location.Start);
        return (location.Line, location.Column);
    }

    public static string OperationLabel(GraphQLOperationDefinition operation)
    {
        var kind = operation.Operation switch
        {
            OperationType.Mutation => "mutation",
            OperationType.Subscription => "subscription",
            _ => "query",
        };
        return operation.Name is null ? kind : kind + " " + operation.Name.StringValue;
    }
}

/// <summary>Thrown by a resolver to report a field error (the field becomes null, the error lands in <c>errors</c>).</summary>
internal sealed class FieldErrorException(string message, JsonObject? extensions = null) : Exception(message)
{
    public JsonObject? Extensions { get; } = extensions;
}
