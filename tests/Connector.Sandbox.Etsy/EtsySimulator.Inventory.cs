using System.Globalization;
using System.Text.Json;

namespace Connector.Sandbox.Etsy;

/// <summary>
/// PUT /v3/application/listings/{listing_id}/inventory — updateListingInventory (store-apis.md §3.2). The body REPLACES
/// the whole inventory: a product left out is deleted, and every product and offering gets a new id [I]. Read-only
/// fields copied from a GET (product_id, is_deleted, offering_id, scale_name) are refused, prices must be plain numbers
/// (not the Money object GET returns), quantities 0–999 with at least one above 0, and prices/quantities/SKUs may only
/// differ between products on the properties named in price/quantity/sku_on_property. Messages marked [I] in the code
/// follow Etsy's "There was a problem with /path : …" shape but are not verified word for word.
/// </summary>
public sealed partial class EtsySimulator
{
    private static readonly string[] ReadOnlyProductFields = ["product_id", "is_deleted"];
    private static readonly string[] ReadOnlyOfferingFields = ["offering_id", "is_deleted"];
    private static readonly string[] ReadOnlyPropertyFields = ["scale_name"];

    private sealed record ProductInput(string Sku, decimal Price, int Quantity, bool Enabled, List<EtsyPropertyValue> Values);

    private ApiResult UpdateInventory(SimEtsyShop shop, ListingState listing, string body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Error(400, "Missing input parameter: [products]");
        }

        // etsy/open-api#168: {"error":"Missing input parameter: [products]"}.
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("products", out var productsElement) || productsElement.ValueKind != JsonValueKind.Array)
        {
            return Error(400, "Missing input parameter: [products]");
        }

        var onProperty = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var name in new[] { "price_on_property", "quantity_on_property", "sku_on_property" })
        {
            var ids = new List<long>();
            if (root.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null)
            {
                if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number))
                {
                    return Error(400, $"There was a problem with /{name} : must be an array of integers");
                }

                ids.AddRange(element.EnumerateArray().Select(e => e.GetInt64()));
            }

            onProperty[name] = ids;
        }

        var products = new List<ProductInput>();
        var index = 0;
        foreach (var product in productsElement.EnumerateArray())
        {
            var at = $"/products/{index}";
            if (product.ValueKind != JsonValueKind.Object)
            {
                return Error(400, $"There was a problem with {at} : must be an object");
            }

            // etsy/open-api#159: "they also don't want the is_deleted field and the product_id field".
            if (ReadOnlyProductFields.FirstOrDefault(f => product.TryGetProperty(f, out _)) is { } readOnlyProduct)
            {
                return Error(400, $"There was a problem with {at}/{readOnlyProduct} : is a read-only property and cannot be set");
            }

            var sku = string.Empty;
            if (product.TryGetProperty("sku", out var skuElement) && skuElement.ValueKind != JsonValueKind.Null)
            {
                if (skuElement.ValueKind != JsonValueKind.String)
                {
                    return Error(400, $"There was a problem with {at}/sku : must be a string");
                }

                sku = skuElement.GetString()!;
            }

            // etsy/open-api#134: a product without property_values → {"error":"Property values can't be empty"}.
            if (!product.TryGetProperty("property_values", out var valuesElement) || valuesElement.ValueKind != JsonValueKind.Array)
            {
                return Error(400, "Property values can't be empty");
            }

            var values = new List<EtsyPropertyValue>();
            var valueIndex = 0;
            foreach (var value in valuesElement.EnumerateArray())
            {
                var vat = $"{at}/property_values/{valueIndex++}";
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return Error(400, $"There was a problem with {vat} : must be an object");
                }

                if (ReadOnlyPropertyFields.FirstOrDefault(f => value.TryGetProperty(f, out _)) is { } readOnlyValue)
                {
                    return Error(400, $"There was a problem with {vat}/{readOnlyValue} : is a read-only property and cannot be set");
                }

                if (!value.TryGetProperty("property_id", out var propertyId) || propertyId.ValueKind != JsonValueKind.Number)
                {
                    return Error(400, $"There was a problem with {vat}/property_id : is required");
                }

                var valueIds = value.TryGetProperty("value_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
                    ? ids.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt64()).ToList()
                    : [];
                var texts = value.TryGetProperty("values", out var strings) && strings.ValueKind == JsonValueKind.Array
                    ? strings.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                    : [];
                if (valueIds.Count == 0 && texts.Count == 0)
                {
                    return Error(400, $"There was a problem with {vat} : value_ids or values is required");
                }

                long? scaleId = value.TryGetProperty("scale_id", out var scale) && scale.ValueKind == JsonValueKind.Number ? scale.GetInt64() : null;
                var propertyName = value.TryGetProperty("property_name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString()! : string.Empty;
                values.Add(new EtsyPropertyValue(propertyId.GetInt64(), propertyName, scaleId, null, valueIds, texts));
            }

            if (!product.TryGetProperty("offerings", out var offeringsElement) || offeringsElement.ValueKind != JsonValueKind.Array || offeringsElement.GetArrayLength() != 1)
            {
                return Error(400, $"There was a problem with {at}/offerings : must contain exactly one offering");
            }

            var offering = offeringsElement[0];
            var oat = $"{at}/offerings/0";
            if (offering.ValueKind != JsonValueKind.Object)
            {
                return Error(400, $"There was a problem with {oat} : must be an object");
            }

            if (ReadOnlyOfferingFields.FirstOrDefault(f => offering.TryGetProperty(f, out _)) is { } readOnlyOffering)
            {
                return Error(400, $"There was a problem with {oat}/{readOnlyOffering} : is a read-only property and cannot be set");
            }

            // etsy/open-api#159/#168: "they want the price to be a float not the object".
            if (!offering.TryGetProperty("price", out var priceElement) || priceElement.ValueKind != JsonValueKind.Number)
            {
                var kind = priceElement.ValueKind == JsonValueKind.Undefined ? "is required" : $"must be a number, not {Describe(priceElement.ValueKind)}";
                return Error(400, $"There was a problem with {oat}/price : {kind}");
            }

            var price = priceElement.GetDecimal();
            if (price < 0.20m)
            {
                return Error(400, $"There was a problem with {oat}/price : must be above min price 0.20 {shop.Currency}");
            }

            if (price > 50000m)
            {
                return Error(400, $"There was a problem with {oat}/price : must be below max price 50000.00 {shop.Currency}");
            }

            if (!offering.TryGetProperty("quantity", out var quantityElement) || quantityElement.ValueKind != JsonValueKind.Number || !quantityElement.TryGetInt32(out var quantity))
            {
                return Error(400, $"There was a problem with {oat}/quantity : must be an integer");
            }

            if (quantity is < 0 or > 999)
            {
                return Error(400, $"There was a problem with {oat}/quantity : must be between 0 and 999");
            }

            var enabled = true;
            if (offering.TryGetProperty("is_enabled", out var enabledElement))
            {
                if (enabledElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return Error(400, $"There was a problem with {oat}/is_enabled : must be a boolean");
                }

                enabled = enabledElement.GetBoolean();
            }

            products.Add(new ProductInput(sku, price, quantity, enabled, values));
            index++;
        }

        if (products.Count == 0)
        {
            return Error(400, "There was a problem with /products : must contain at least one product");
        }

        if (products.Count > 1 && products.Any(p => p.Values.Count == 0))
        {
            return Error(400, "Property values can't be empty");
        }

        var propertySets = products.Select(p => string.Join(",", p.Values.Select(v => v.PropertyId).Order())).Distinct(StringComparer.Ordinal).Count();
        if (propertySets > 1)
        {
            return Error(400, "There was a problem with /products : every product must have values for the same properties");
        }

        var combinations = products.Select(p => string.Join("|", p.Values.OrderBy(v => v.PropertyId).Select(v => $"{v.PropertyId}:{string.Join(",", v.ValueIds)}:{string.Join(",", v.Values)}")));
        if (combinations.Distinct(StringComparer.Ordinal).Count() != products.Count)
        {
            return Error(400, "There was a problem with /products : two products have the same property values");
        }

        var usedProperties = products.SelectMany(p => p.Values.Select(v => v.PropertyId)).ToHashSet();
        foreach (var (name, ids) in onProperty)
        {
            if (ids.FirstOrDefault(id => !usedProperties.Contains(id)) is var unknown && unknown != 0)
            {
                return Error(400, $"There was a problem with /{name} : property {unknown.ToString(CultureInfo.InvariantCulture)} is not used by the products");
            }
        }

        if (onProperty["price_on_property"].Count == 0 && products.Select(p => p.Price).Distinct().Count() > 1)
        {
            return Error(400, "There was a problem with /products : all products must have the same price unless price_on_property names the properties it varies on");
        }

        if (onProperty["quantity_on_property"].Count == 0 && products.Select(p => p.Quantity).Distinct().Count() > 1)
        {
            return Error(400, "There was a problem with /products : all products must have the same quantity unless quantity_on_property names the properties it varies on");
        }

        if (onProperty["sku_on_property"].Count == 0 && products.Select(p => p.Sku).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            return Error(400, "There was a problem with /products : all products must have the same sku unless sku_on_property names the properties it varies on");
        }

        // etsy/open-api#501: stock 0 everywhere is refused ("stocks must be greater than 0").
        if (!products.Any(p => p.Enabled && p.Quantity > 0))
        {
            return Error(400, "There was a problem with /products : at least one enabled offering must have a quantity greater than 0");
        }

        var kept = listing.Products
            .Select(p => p.IsDeleted ? p : p with { IsDeleted = true, Offerings = [.. p.Offerings.Select(o => o with { IsDeleted = true })] })
            .ToList();
        foreach (var input in products)
        {
            var values = input.Values.Select(v => v with
            {
                PropertyName = v.PropertyName.Length > 0 ? v.PropertyName : ExistingPropertyName(listing, v.PropertyId),
            }).ToList();
            var offering = new EtsyOffering(NextOfferingId(), input.Quantity, input.Enabled, false, Money(input.Price, shop.Currency));
            kept.Add(new EtsyProduct(NextProductId(), input.Sku, false, [offering], values));
        }

        listing.Products = kept;
        listing.PriceOnProperty = onProperty["price_on_property"];
        listing.QuantityOnProperty = onProperty["quantity_on_property"];
        listing.SkuOnProperty = onProperty["sku_on_property"];
        listing.UpdatedAt = Now;
        listing.RefreshState();
        return new ApiResult(200, InventoryJson(listing, showDeleted: false));
    }

    private static string ExistingPropertyName(ListingState listing, long propertyId) =>
        listing.Products.SelectMany(p => p.PropertyValues).FirstOrDefault(v => v.PropertyId == propertyId)?.PropertyName ?? string.Empty;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
