using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.Schema;
using GraphQLParser.AST;

namespace Connector.Sandbox.Shopify.GraphQL;

/// <summary>
/// Plans and executes one validated operation: checks that every selected field is one the simulator implements,
/// computes the requested cost, then walks the selection set over the resolvers' results so the answer has exactly
/// the shape the query asked for (aliases, fragments, <c>__typename</c>, @skip/@include, null propagation per the
/// GraphQL spec §6.4.4).
/// </summary>
internal sealed class Executor(ExecutionContext context, GraphQLOperationDefinition operation)
{
    /// <summary>Cost of each root field of a mutation (store-apis.md §2.5; Shopify: "Mutations: 10").</summary>
    public const int MutationCost = 10;

    private static readonly object Failed = new();

    private readonly AdminSchema _schema = context.Schema;
    private int _actualCost;

    private bool IsMutation => operation.Operation == OperationType.Mutation;

    private string RootType => IsMutation ? _schema.MutationType : _schema.QueryType;

    /// <summary>
    /// Requested cost (Shopify's rules, store-apis.md §2.5): scalars and enums 0; an object 1; a connection
    /// 2 + (first ?? last) × (cost of one node: 1 + its selections; edges, cursor and pageInfo are free); a plain
    /// list of objects with a <c>first</c> argument counts <c>first</c> objects; each mutation root field 10 (its
    /// payload is not counted). Also reports fields that exist in the schema but are not implemented here.
    /// </summary>
    public int Plan(List<GraphQLError> unsupported)
    {
        var path = new List<object>();
        var cost = 0;
        foreach (var (key, fields) in CollectFields(RootType, [operation.SelectionSet]))
        {
            path.Add(key);
            var fieldCost = PlanField(RootType, fields, path, unsupported);
            cost += IsMutation && fields[0].Name.StringValue != "__typename" ? MutationCost : fieldCost;
            path.RemoveAt(path.Count - 1);
        }

        return cost;
    }

    private int PlanSelection(string typeName, List<GraphQLField> fields, List<object> path, List<GraphQLError> unsupported)
    {
        var cost = 0;
        foreach (var (key, group) in CollectFields(typeName, fields.Where(f => f.SelectionSet is not null).Select(f => f.SelectionSet!)))
        {
            path.Add(key);
            cost += PlanField(typeName, group, path, unsupported);
            path.RemoveAt(path.Count - 1);
        }

        return cost;
    }

    private int PlanField(string parentType, List<GraphQLField> fields, List<object> path, List<GraphQLError> unsupported)
    {
        var field = fields[0];
        var name = field.Name.StringValue;
        if (name == "__typename")
        {
            return 0;
        }

        var resolvers = context.Resolvers.Find(parentType);
        if (resolvers is null || !resolvers.Supports(name))
        {
            unsupported.Add(GraphQLError.At(
                $"Field '{name}' on type '{parentType}' exists in the Shopify Admin API {ShopifySimulator.SchemaVersion} schema but is not implemented by the Shopify simulator.",
                context.Request,
                field,
                path,
                new JsonObject { ["code"] = "SIMULATOR_NOT_IMPLEMENTED", ["typeName"] = parentType, ["fieldName"] = name }));
            return 0;
        }

        var definition = _schema.Get(parentType).Fields[name];
        var returnType = _schema.Get(definition.Type.NamedType);
        if (returnType.IsLeaf)
        {
            return 0;
        }

        var inner = PlanSelection(returnType.Name, fields, path, unsupported);
        if (parentType.EndsWith("Connection", StringComparison.Ordinal))
        {
            // Per-node costs inside a connection; the connection field multiplies them.
            return name switch
            {
                "edges" => inner,
                "nodes" => 1 + inner,
                _ => 0,
            };
        }

        if (parentType.EndsWith("Edge", StringComparison.Ordinal))
        {
            return name == "node" ? 1 + inner : 0;
        }

        if (returnType.Name == "PageInfo")
        {
            return 0;
        }

        JsonObject arguments;
        try
        {
            arguments = BuildArguments(definition, field);
        }
        catch (FieldErrorException)
        {
            arguments = [];
        }

        if (returnType.Name.EndsWith("Connection", StringComparison.Ordinal))
        {
            var size = arguments.Int("first") ?? arguments.Int("last") ?? 0;
            return 2 + (Math.Max(0, size) * inner);
        }

        if (definition.Type.ContainsList && arguments.Int("first") is { } first)
        {
            return Math.Max(0, first) * (1 + inner);
        }

        return 1 + inner;
    }

    /// <summary>Runs the operation; returns <c>data</c> (null when a non-null root field failed) and the actual cost.</summary>
    public async Task<(JsonObject? Data, int ActualCost)> ExecuteAsync()
    {
        var data = new JsonObject();
        var propagated = false;
        var rootType = _schema.Get(RootType);
        var resolvers = context.Resolvers.Find(RootType)!;
        foreach (var (key, fields) in CollectFields(RootType, [operation.SelectionSet]))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var field = fields[0];
            var name = field.Name.StringValue;
            List<object> path = [key];
            if (name == "__typename")
            {
                data[key] = RootType;
                continue;
            }

            var definition = rootType.Fields[name];
            object? value;
            try
            {
                context.CurrentPath = path.ToArray();
                context.IdempotencyKey = IdempotencyKeyOf(field);
                value = resolvers.Get(name)(context.Shop, BuildArguments(definition, field), context);
                if (value is Task<object?> pending)
                {
                    value = await pending;
                }
            }
            catch (FieldErrorException ex)
            {
                context.Errors.Add(GraphQLError.At(ex.Message, context.Request, field, path, ex.Extensions));
                value = Failed;
            }

            var completed = Complete(definition.Type, value, RootType, fields, path);
            propagated |= completed.Propagate;
            data[key] = completed.Value;
        }

        return (propagated ? null : data, _actualCost);
    }

    private readonly record struct Completed(JsonNode? Value, bool Propagate, bool ErrorRecorded);

    private Completed Complete(TypeRef type, object? value, string parentType, List<GraphQLField> fields, List<object> path)
    {
        if (type.IsNonNull)
        {
            var inner = Complete(type.OfType!, value, parentType, fields, path);
            if (inner.Propagate || inner.Value is not null)
            {
                return inner;
            }

            if (!inner.ErrorRecorded)
            {
                context.Errors.Add(GraphQLError.At(
                    $"Cannot return null for non-nullable field {parentType}.{fields[0].Name.StringValue}",
                    context.Request,
                    fields[0],
                    path,
                    null));
            }

            return new Completed(null, true, true);
        }

        if (ReferenceEquals(value, Failed))
        {
            return new Completed(null, false, true);
        }

        if (value is null)
        {
            return new Completed(null, false, false);
        }

        if (type.IsList)
        {
            var array = new JsonArray();
            var index = 0;
            foreach (var item in (IEnumerable)value)
            {
                path.Add(index++);
                var completed = Complete(type.OfType!, item, parentType, fields, path);
                path.RemoveAt(path.Count - 1);
                if (completed.Propagate)
                {
                    return new Completed(null, false, true);
                }

                array.Add(completed.Value);
            }

            return new Completed(array, false, false);
        }

        var named = _schema.Get(type.Name!);
        if (named.IsLeaf)
        {
            return new Completed(SerializeLeaf(named, value), false, false);
        }

        if (!IsMutation)
        {
            _actualCost += named.Name.EndsWith("Connection", StringComparison.Ordinal) ? 2
                : named.Name.EndsWith("Edge", StringComparison.Ordinal) || named.Name == "PageInfo" ? 0
                : 1;
        }

        var obj = ExecuteObject(named, value, fields, path);
        return obj is null ? new Completed(null, false, true) : new Completed(obj, false, false);
    }

    /// <summary>Returns null when a non-null field inside failed (the object itself becomes null).</summary>
    private JsonObject? ExecuteObject(SchemaType type, object source, List<GraphQLField> fields, List<object> path)
    {
        var result = new JsonObject();
        var resolvers = context.Resolvers.Find(type.Name)!;
        foreach (var (key, group) in CollectFields(type.Name, fields.Where(f => f.SelectionSet is not null).Select(f => f.SelectionSet!)))
        {
            var field = group[0];
            var name = field.Name.StringValue;
            if (name == "__typename")
            {
                result[key] = type.Name;
                continue;
            }

            path.Add(key);
            var definition = type.Fields[name];
            object? value;
            try
            {
                context.CurrentPath = path.ToArray();
                value = resolvers.Get(name)(source, BuildArguments(definition, field), context);
            }
            catch (FieldErrorException ex)
            {
                context.Errors.Add(GraphQLError.At(ex.Message, context.Request, field, path, ex.Extensions));
                value = Failed;
            }

            var completed = Complete(definition.Type, value, type.Name, group, path);
            path.RemoveAt(path.Count - 1);
            if (completed.Propagate)
            {
                return null;
            }

            result[key] = completed.Value;
        }

        return result;
    }

    private static JsonNode? SerializeLeaf(SchemaType type, object value)
    {
        if (type.Kind == SchemaTypeKind.Enum)
        {
            return JsonValue.Create(value.ToString());
        }

        return (type.Name, value) switch
        {
            (_, JsonNode node) => node.DeepClone(),
            ("Int", int i) => JsonValue.Create(i),
            ("Int", long l) => JsonValue.Create(l),
            ("Float", double d) => JsonValue.Create(d),
            ("Float", decimal m) => JsonValue.Create((double)m),
            ("Boolean", bool b) => JsonValue.Create(b),
            ("Decimal", decimal m) => JsonValue.Create(FormatDecimal(m)),
            ("Money", decimal m) => JsonValue.Create(m.ToString("0.00##########", CultureInfo.InvariantCulture)),
            ("DateTime", DateTimeOffset t) => JsonValue.Create(FormatDateTime(t)),
            ("UnsignedInt64" or "BigInt", long l) => JsonValue.Create(l.ToString(CultureInfo.InvariantCulture)),
            (_, string s) => JsonValue.Create(s),
            _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>Shopify writes Decimal (MoneyV2.amount) like Ruby's BigDecimal: "19.99", "10.0", "0.0"; Money as "10.00".</summary>
    public static string FormatDecimal(decimal value)
    {
        var text = (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>ISO 8601 in UTC with seconds, as Shopify writes DateTime: "2025-05-01T10:11:12Z".</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Argument values: literals with variables substituted, defaults applied, coerced to the schema types.</summary>
    public JsonObject BuildArguments(SchemaField definition, GraphQLField field)
    {
        var raw = new JsonObject();
        foreach (var argument in definition.Arguments.Values)
        {
            var provided = field.Arguments?.FirstOrDefault(a => a.Name.StringValue == argument.Name);
            if (provided is not null && !(provided.Value is GraphQLVariable variable && !context.Variables.ContainsKey(variable.Name.StringValue)))
            {
                raw[argument.Name] = InputCoercion.LiteralToJson(provided.Value, context.Variables);
            }
            else if (argument.DefaultValue is not null)
            {
                raw[argument.Name] = InputCoercion.LiteralToJson(argument.DefaultValue, variables: null);
            }
        }

        var coerced = new JsonObject();
        var problems = new List<InputProblem>();
        foreach (var (name, value) in raw)
        {
            coerced[name] = InputCoercion.Coerce(_schema, value, definition.Arguments[name].Type, [name], problems);
        }

        if (problems.Count > 0)
        {
            throw new FieldErrorException(
                $"Argument '{problems[0].Path[0]}' on Field '{definition.Name}' has an invalid value: {string.Join(".", problems[0].Path)} ({problems[0].Explanation})",
                new JsonObject { ["code"] = "argumentLiteralsIncompatible" });
        }

        // Re-parse so every value is JSON-element backed (uniform numeric reads in resolvers).
        return (JsonObject)JsonNode.Parse(coerced.ToJsonString())!;
    }

    /// <summary>CollectFields (GraphQL spec §6.3.2): groups selections by response key, applying fragments and @skip/@include.</summary>
    private List<(string Key, List<GraphQLField> Fields)> CollectFields(string objectType, IEnumerable<GraphQLSelectionSet> selectionSets)
    {
        var groups = new List<(string Key, List<GraphQLField> Fields)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in selectionSets)
        {
            Collect(objectType, set, groups, index, visited);
        }

        return groups;
    }

    private void Collect(string objectType, GraphQLSelectionSet set, List<(string Key, List<GraphQLField> Fields)> groups, Dictionary<string, int> index, HashSet<string> visited)
    {
        foreach (var selection in set.Selections)
        {
            if (selection is IHasDirectivesNode withDirectives && !ShouldInclude(withDirectives.Directives))
            {
                continue;
            }

            switch (selection)
            {
                case GraphQLField field:
                    var key = field.Alias?.Name.StringValue ?? field.Name.StringValue;
                    if (index.TryGetValue(key, out var position))
                    {
                        groups[position].Fields.Add(field);
                    }
                    else
                    {
                        index[key] = groups.Count;
                        groups.Add((key, [field]));
                    }

                    break;
                case GraphQLInlineFragment inline:
                    if (inline.TypeCondition is null || _schema.Satisfies(objectType, inline.TypeCondition.Type.Name.StringValue))
                    {
                        Collect(objectType, inline.SelectionSet, groups, index, visited);
                    }

                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    if (visited.Add(name)
                        && context.Request.Fragments.TryGetValue(name, out var fragment)
                        && _schema.Satisfies(objectType, fragment.TypeCondition.Type.Name.StringValue))
                    {
                        Collect(objectType, fragment.SelectionSet, groups, index, visited);
                    }

                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The key of the field's <c>@idempotent</c> directive: a string literal or a variable (validated already).</summary>
    private string? IdempotencyKeyOf(GraphQLField field)
    {
        var directive = field.Directives?.Items.FirstOrDefault(d => d.Name.StringValue == "idempotent");
        var value = directive?.Arguments?.FirstOrDefault(a => a.Name.StringValue == "key")?.Value;
        return value switch
        {
            GraphQLStringValue text => text.Value.ToString(),
            GraphQLVariable variable => context.Variables[variable.Name.StringValue]?.GetValue<string>(),
            _ => null,
        };
    }

    private bool ShouldInclude(GraphQLDirectives? directives)
    {
        foreach (var directive in directives?.Items ?? [])
        {
            var name = directive.Name.StringValue;
            if (name is not ("skip" or "include"))
            {
                continue;
            }

            var argument = directive.Arguments?.FirstOrDefault(a => a.Name.StringValue == "if");
            var condition = argument is null ? null : InputCoercion.LiteralToJson(argument.Value, context.Variables);
            var isTrue = condition is JsonValue v && v.GetValueKind() == JsonValueKind.True;
            if ((name == "skip" && isTrue) || (name == "include" && !isTrue))
            {
                return false;
            }
        }

        return true;
    }
}
