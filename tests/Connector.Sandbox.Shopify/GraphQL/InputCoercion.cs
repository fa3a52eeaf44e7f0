using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.Schema;
using GraphQLParser.AST;

namespace Connector.Sandbox.Shopify.GraphQL;

internal sealed record InputProblem(IReadOnlyList<object> Path, string Explanation);

/// <summary>
/// Input coercion per the GraphQL spec (§3.10 input objects, §3.11 lists): JSON values (variables, or literals
/// already turned into JSON) are checked against the schema's input types, unknown input fields are rejected and
/// input-field defaults are filled in. Problems are reported like graphql-ruby reports them to Shopify clients.
/// </summary>
internal static class InputCoercion
{
    public static JsonNode? Coerce(AdminSchema schema, JsonNode? value, TypeRef type, List<object> path, List<InputProblem> problems)
    {
        if (type.IsNonNull)
        {
            if (value is null)
            {
                problems.Add(new InputProblem(path.ToArray(), "Expected value to not be null"));
                return null;
            }

            return Coerce(schema, value, type.OfType!, path, problems);
        }

        if (value is null)
        {
            return null;
        }

        if (type.IsList)
        {
            if (value is JsonArray array)
            {
                var result = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    path.Add(i);
                    result.Add(Coerce(schema, array[i], type.OfType!, path, problems));
                    path.RemoveAt(path.Count - 1);
                }

                return result;
            }

            // A single value in a list position is coerced as a list of one (spec §3.11).
            var single = Coerce(schema, value, type.OfType!, path, problems);
            return new JsonArray(single);
        }

        var named = schema.Find(type.Name!);
        if (named is null)
        {
            problems.Add(new InputProblem(path.ToArray(), $"Unknown type {type.Name}"));
            return null;
        }

        switch (named.Kind)
        {
            case SchemaTypeKind.InputObject:
                if (value is not JsonObject obj)
                {
                    problems.Add(new InputProblem(path.ToArray(), $"Expected {Describe(value)} to be a key-value object."));
                    return null;
                }

                var coerced = new JsonObject();
                foreach (var (key, _) in obj)
                {
                    if (!named.InputFieldsByName.ContainsKey(key))
                    {
                        path.Add(key);
                        problems.Add(new InputProblem(path.ToArray(), $"Field is not defined on {named.Name}"));
                        path.RemoveAt(path.Count - 1);
                    }
                }

                foreach (var field in named.InputFields)
                {
                    path.Add(field.Name);
                    if (obj.TryGetPropertyValue(field.Name, out var fieldValue))
                    {
                        coerced[field.Name] = Coerce(schema, fieldValue, field.Type, path, problems);
                    }
                    else if (field.DefaultValue is not null)
                    {
                        coerced[field.Name] = LiteralToJson(field.DefaultValue, variables: null);
                    }
                    else if (field.Type.IsNonNull)
                    {
                        problems.Add(new InputProblem(path.ToArray(), "Expected value to not be null"));
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return coerced;
            case SchemaTypeKind.Enum:
                if (value is JsonValue enumValue && enumValue.TryGetValue<string>(out var text) && named.EnumValues.Contains(text))
                {
                    return JsonValue.Create(text);
                }

                problems.Add(new InputProblem(path.ToArray(), $"Expected {Describe(value)} to be one of: {string.Join(", ", named.EnumValues)}"));
                return null;
            case SchemaTypeKind.Scalar:
                var scalar = CoerceScalar(named.Name, value);
                if (scalar is null)
                {
                    problems.Add(new InputProblem(path.ToArray(), $"Could not coerce value {Describe(value)} to {named.Name}"));
                }

                return scalar;
            default:
                problems.Add(new InputProblem(path.ToArray(), $"{named.Name} isn't a valid input type"));
                return null;
        }
    }

    /// <summary>Returns the coerced scalar, or null when the value is not acceptable for the scalar.</summary>
    public static JsonNode? CoerceScalar(string scalar, JsonNode value)
    {
        if (value is not JsonValue)
        {
            // Only the JSON scalar takes objects and arrays.
            return scalar == "JSON" ? value.DeepClone() : null;
        }

        // Round-trip so that numeric conversions behave the same for parsed and constructed values.
        var v = (JsonValue)JsonNode.Parse(value.ToJsonString())!;

        var kind = v.GetValueKind();
        switch (scalar)
        {
            case "Int":
                return kind == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? JsonValue.Create(i) : null;
            case "Float":
                return kind == JsonValueKind.Number && v.TryGetValue<double>(out var d) ? JsonValue.Create(d) : null;
            case "String":
            case "HTML":
            case "FormattedString":
            case "StorefrontID":
            case "ARN":
            case "Color":
            case "UtcOffset":
                return kind == JsonValueKind.String ? JsonValue.Create(v.GetValue<string>()) : null;
            case "Boolean":
                return kind is JsonValueKind.True or JsonValueKind.False ? JsonValue.Create(v.GetValue<bool>()) : null;
            case "ID":
                if (kind == JsonValueKind.String)
                {
                    return JsonValue.Create(v.GetValue<string>());
                }

                return kind == JsonValueKind.Number && v.TryGetValue<long>(out var id) ? JsonValue.Create(id.ToString(CultureInfo.InvariantCulture)) : null;
            case "Decimal":
            case "Money":
                if (kind == JsonValueKind.Number && v.TryGetValue<decimal>(out var number))
                {
                    return JsonValue.Create(number.ToString(CultureInfo.InvariantCulture));
                }

                return kind == JsonValueKind.String && decimal.TryParse(v.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out _)
                    ? JsonValue.Create(v.GetValue<string>())
                    : null;
            case "UnsignedInt64":
            case "BigInt":
                if (kind == JsonValueKind.Number && v.TryGetValue<long>(out var big))
                {
                    return JsonValue.Create(big.ToString(CultureInfo.InvariantCulture));
                }

                return kind == JsonValueKind.String && long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                    ? JsonValue.Create(v.GetValue<string>())
                    : null;
            case "DateTime":
                return kind == JsonValueKind.String && TryParseDateTime(v.GetValue<string>(), out _) ? JsonValue.Create(v.GetValue<string>()) : null;
            case "Date":
                return kind == JsonValueKind.String && DateOnly.TryParseExact(v.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? JsonValue.Create(v.GetValue<string>())
                    : null;
            case "URL":
                return kind == JsonValueKind.String && Uri.TryCreate(v.GetValue<string>(), UriKind.Absolute, out _) ? JsonValue.Create(v.GetValue<string>()) : null;
            case "JSON":
                return value.DeepClone();
            default:
                return kind == JsonValueKind.String ? JsonValue.Create(v.GetValue<string>()) : null;
        }
    }

    public static bool TryParseDateTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>Turns an AST literal into JSON, substituting variables (absent variables drop the object field).</summary>
    public static JsonNode? LiteralToJson(GraphQLValue value, JsonObject? variables) => value switch
    {
        GraphQLVariable variable => variables is not null && variables.TryGetPropertyValue(variable.Name.StringValue, out var v) ? v?.DeepClone() : null,
        GraphQLIntValue i => long.TryParse(i.Value.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : JsonValue.Create(decimal.Parse(i.Value.Span, CultureInfo.InvariantCulture)),
        GraphQLFloatValue f => JsonValue.Create(decimal.TryParse(f.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var dec) ? dec : (decimal?)null),
        GraphQLStringValue s => JsonValue.Create(s.Value.ToString()),
        GraphQLBooleanValue b => JsonValue.Create(b.BoolValue),
        GraphQLNullValue => null,
        GraphQLEnumValue e => JsonValue.Create(e.Name.StringValue),
        GraphQLListValue list => new JsonArray((list.Values ?? []).Select(item => LiteralToJson(item, variables)).ToArray()),
        GraphQLObjectValue obj => ObjectLiteralToJson(obj, variables),
        _ => null,
    };

    private static JsonObject ObjectLiteralToJson(GraphQLObjectValue obj, JsonObject? variables)
    {
        var json = new JsonObject();
        foreach (var field in obj.Fields ?? [])
        {
            if (field.Value is GraphQLVariable variable && (variables is null || !variables.ContainsKey(variable.Name.StringValue)))
            {
                continue;
            }

            json[field.Name.StringValue] = LiteralToJson(field.Value, variables);
        }

        return json;
    }

    /// <summary>Renders a value the way graphql-ruby quotes it in messages.</summary>
    public static string Describe(JsonNode? value) => value is null ? "null" : value.ToJsonString();
}
