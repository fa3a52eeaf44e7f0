using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// Request bodies (XML only: the Webservice does not parse JSON input, store-apis.md §1.2) and helpers to read its JSON
/// answers, where the entity id is a number and every other value a string (<c>"60.000000"</c>), and an empty list is <c>[]</c>.
/// </summary>
internal static class PrestaShopXml
{
    public static string Entity(string singular, IEnumerable<KeyValuePair<string, string?>> fields, XElement? associations = null)
    {
        var entity = new XElement(singular);
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                entity.Add(new XElement(name, PrestaShopText.Xml(value)));
            }
        }

        if (associations is not null)
        {
            entity.Add(associations);
        }

        return new XDocument(new XElement("prestashop", entity)).ToString(SaveOptions.DisableFormatting);
    }

    public static XElement CartRows(IEnumerable<(long ProductId, long AttributeId, long AddressId, int Quantity)> rows) =>
        new("associations", new XElement("cart_rows", rows.Select(r => new XElement("cart_row",
            new XElement("id_product", Format(r.ProductId)),
            new XElement("id_product_attribute", Format(r.AttributeId)),
            new XElement("id_address_delivery", Format(r.AddressId)),
            new XElement("quantity", Format(r.Quantity))))));

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(decimal value, int decimals = 6) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The rows of a list answer (<c>{"carts":[…]}</c>, or <c>[]</c> when nothing matched).</summary>
    public static IReadOnlyList<JsonObject> List(JsonNode? body, string plural) =>
        body is JsonObject o && o[plural] is JsonArray rows ? [.. rows.OfType<JsonObject>()] : [];

    public static JsonObject? First(IReadOnlyList<JsonObject> rows) => rows.Count > 0 ? rows[0] : null;

    public static long Long(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => 0,
    };

    public static decimal Dec(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<decimal>(out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        _ => 0m,
    };

    public static bool Bool(JsonNode? node) => Long(node) != 0;

    public static string Str(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => string.Empty,
    };
}
