using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.GraphQL;

/// <summary>Typed reads from coerced GraphQL input values (JSON).</summary>
internal static class JsonInput
{
    public static string? Str(this JsonObject? obj, string name) =>
        obj?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static int? Int(this JsonObject? obj, string name) =>
        obj?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && int.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    public static long? Long(this JsonObject? obj, string name) =>
        obj?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;

    public static bool? Bool(this JsonObject? obj, string name) =>
        obj?[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValueKind() == JsonValueKind.True : null;

    public static decimal? Dec(this JsonObject? obj, string name)
    {
        if (obj?[name] is not JsonValue v)
        {
            return null;
        }

        var text = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
        return decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    public static DateTimeOffset? Date(this JsonObject? obj, string name) =>
        obj.Str(name) is { } text && GraphQL.InputCoercion.TryParseDateTime(text, out var value) ? value : null;

    public static JsonObject? Obj(this JsonObject? obj, string name) => obj?[name] as JsonObject;

    public static IReadOnlyList<JsonObject> Objects(this JsonObject? obj, string name) =>
        obj?[name] is JsonArray array ? array.OfType<JsonObject>().ToArray() : [];

    public static IReadOnlyList<string> Strings(this JsonObject? obj, string name) =>
        obj?[name] is JsonArray array
            ? array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToArray()
            : [];

    public static bool Has(this JsonObject? obj, string name) => obj is not null && obj[name] is not null;
}
