using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Webhooks;

/// <summary>
/// The order as Shopify's REST resource, the body of every <c>orders/*</c> webhook: snake_case, numeric ids with
/// <c>admin_graphql_api_id</c>, money as strings ("12.00"), lower-case statuses, times ISO 8601 with an offset (the
/// simulated shops are on UTC: <c>+00:00</c>).
/// </summary>
internal static class OrderWebhookPayload
{
    /// <summary>Relaxed escaping: '+' in offsets stays '+', as Shopify writes it.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Build(SimShopifyOrder order)
    {
        return new JsonObject
        {
            ["id"] = Gid.Number(order.Id),
            ["admin_graphql_api_id"] = order.Id,
            ["name"] = order.Name,
            ["order_number"] = order.Number,
            ["number"] = order.Number - 1000,
            ["email"] = order.Email,
            ["phone"] = order.Phone,
            ["note"] = order.Note,
            ["created_at"] = Time(order.CreatedAt),
            ["updated_at"] = Time(order.UpdatedAt),
            ["processed_at"] = Time(order.ProcessedAt),
            ["cancelled_at"] = Time(order.CancelledAt),
            ["cancel_reason"] = order.CancelReason?.ToLowerInvariant(),
            ["closed_at"] = Time(order.ClosedAt),
            ["financial_status"] = order.FinancialStatus.ToLowerInvariant(),
            ["fulfillment_status"] = FulfillmentStatus(order.FulfillmentStatus),
            ["source_name"] = order.SourceName,
            ["source_identifier"] = order.SourceIdentifier,
            ["tags"] = string.Join(", ", order.Tags),
            ["test"] = order.Test,
            ["currency"] = order.CurrencyCode,
            ["presentment_currency"] = order.PresentmentCurrencyCode ?? order.CurrencyCode,
            ["subtotal_price"] = Money(order.SubtotalPrice),
            ["total_tax"] = Money(order.TotalTax),
            ["total_price"] = Money(order.TotalPrice),
            ["line_items"] = new JsonArray(order.LineItems.Select(l => (JsonNode)LineItem(order, l)).ToArray()),
            ["fulfillments"] = new JsonArray(order.Fulfillments.Select(f => (JsonNode)Fulfillment(order, f)).ToArray()),
        };
    }

    /// <summary>includeFields: keeps only the listed paths ("id", "line_items.sku"); empty keeps everything.</summary>
    public static JsonObject Include(JsonObject payload, IReadOnlyList<string> fields)
    {
        return fields.Count == 0 ? payload : Pick(payload, fields.Select(f => f.Split('.')).ToArray());
    }

    private static JsonObject Pick(JsonObject source, string[][] paths)
    {
        var result = new JsonObject();
        foreach (var group in paths.Where(p => p.Length > 0).GroupBy(p => p[0], StringComparer.Ordinal))
        {
            if (!source.TryGetPropertyValue(group.Key, out var value))
            {
                continue;
            }

            var rest = group.Select(p => p[1..]).ToArray();
            result[group.Key] = rest.Any(r => r.Length == 0) ? value?.DeepClone() : value switch
            {
                JsonObject inner => Pick(inner, rest),
                JsonArray array => new JsonArray(array.Select(item => item is JsonObject o ? (JsonNode)Pick(o, rest) : item?.DeepClone()).ToArray()),
                _ => value?.DeepClone(),
            };
        }

        return result;
    }

    private static JsonObject LineItem(SimShopifyOrder order, SimShopifyLineItem line)
    {
        var fulfilled = order.Fulfillments.SelectMany(f => f.LineItems).Where(f => f.LineItemId == line.Id).Sum(f => f.Quantity);
        var remaining = order.FulfillmentOrders.SelectMany(f => f.LineItems).Where(i => i.LineItemId == line.Id).Sum(i => i.RemainingQuantity);
        return new JsonObject
        {
            ["id"] = Gid.Number(line.Id),
            ["admin_graphql_api_id"] = line.Id,
            ["sku"] = line.Sku,
            ["variant_id"] = line.VariantId is null ? null : Gid.Number(line.VariantId),
            ["product_id"] = line.ProductId is null ? null : Gid.Number(line.ProductId),
            ["title"] = line.Title,
            ["variant_title"] = line.VariantTitle,
            ["name"] = line.VariantTitle is null ? line.Title : $"{line.Title} - {line.VariantTitle}",
            ["quantity"] = line.Quantity,
            ["current_quantity"] = order.CancelledAt is null ? line.Quantity : 0,
            ["fulfillable_quantity"] = order.CancelledAt is null ? remaining : 0,
            ["fulfillment_status"] = fulfilled == 0 ? null : fulfilled >= line.Quantity ? "fulfilled" : "partial",
            ["price"] = Money(line.Price),
            ["requires_shipping"] = line.RequiresShipping,
            ["taxable"] = line.Taxable,
        };
    }

    private static JsonObject Fulfillment(SimShopifyOrder order, SimShopifyFulfillment fulfillment)
    {
        var first = fulfillment.TrackingInfo.Count > 0 ? fulfillment.TrackingInfo[0] : null;
        return new JsonObject
        {
            ["id"] = Gid.Number(fulfillment.Id),
            ["admin_graphql_api_id"] = fulfillment.Id,
            ["order_id"] = Gid.Number(order.Id),
            ["name"] = fulfillment.Name,
            ["status"] = fulfillment.Status.ToLowerInvariant(),
            ["created_at"] = Time(fulfillment.CreatedAt),
            ["updated_at"] = Time(fulfillment.CreatedAt),
            ["tracking_company"] = first?.Company,
            ["tracking_number"] = first?.Number,
            ["tracking_numbers"] = new JsonArray(fulfillment.TrackingInfo.Where(t => t.Number is not null).Select(t => (JsonNode)JsonValue.Create(t.Number!)).ToArray()),
            ["tracking_url"] = first?.Url,
            ["tracking_urls"] = new JsonArray(fulfillment.TrackingInfo.Where(t => t.Url is not null).Select(t => (JsonNode)JsonValue.Create(t.Url!)).ToArray()),
            // As in REST: the order's line items, with the quantity this fulfillment shipped.
            ["line_items"] = new JsonArray(fulfillment.LineItems.GroupBy(l => l.LineItemId).Select(g =>
            {
                var line = order.LineItems.First(l => l.Id == g.Key);
                return (JsonNode)new JsonObject
                {
                    ["id"] = Gid.Number(line.Id),
                    ["admin_graphql_api_id"] = line.Id,
                    ["sku"] = line.Sku,
                    ["variant_id"] = line.VariantId is null ? null : Gid.Number(line.VariantId),
                    ["title"] = line.Title,
                    ["quantity"] = g.Sum(l => l.Quantity),
                    ["price"] = Money(line.Price),
                };
            }).ToArray()),
        };
    }

    private static string? FulfillmentStatus(string display) => display switch
    {
        "FULFILLED" => "fulfilled",
        "PARTIALLY_FULFILLED" => "partial",
        _ => null,
    };

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
