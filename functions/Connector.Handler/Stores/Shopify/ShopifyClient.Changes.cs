using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Stores.Shopify;

/// <summary>Store → TikTok: the merchant's fulfilments and cancellations of the orders Connector created (store-apis.md §2.4).</summary>
public sealed partial class ShopifyClient
{
    public async Task<StoreChangePage> ListChangedOrdersAsync(StoreAccess shop, DateTimeOffset since, string? pageToken, CancellationToken cancellationToken)
    {
        // Connector's orders carry sourceName tiktok_shop and the TikTok id as sourceIdentifier (see BuildOrderInput).
        var query = $"source_name:tiktok_shop updated_at:>='{since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}'";
        var data = await QueryAsync(shop, ShopifyQueries.ChangedOrders, new { query, after = pageToken }, cancellationToken);
        var orders = data?["orders"];
        var changes = (orders?["nodes"]?.AsArray() ?? [])
            .Where(n => !string.IsNullOrEmpty((string?)n?["sourceIdentifier"]))
            .Select(n => new StoreOrderChange((string)n!["id"]!, (string)n["sourceIdentifier"]!, ParseTime(n["updatedAt"]) ?? since))
            .ToList();
        var next = (bool?)orders?["pageInfo"]?["hasNextPage"] == true ? (string?)orders?["pageInfo"]?["endCursor"] : null;
        return new StoreChangePage(changes, next);
    }

    public async Task<StoreOrderState?> GetOrderStateAsync(StoreAccess shop, string storeOrderId, CancellationToken cancellationToken)
    {
        var order = (await QueryAsync(shop, ShopifyQueries.MerchantOrderState, new { id = storeOrderId }, cancellationToken))?["order"];
        if (order is null)
        {
            return null;
        }

        var shipments = new List<StoreShipment>();
        foreach (var fulfillment in order["fulfillments"]?.AsArray() ?? [])
        {
            // A cancelled fulfillment shipped nothing (Shopify keeps it with status CANCELLED).
            if (fulfillment is null || (string?)fulfillment["status"] is "CANCELLED" or "ERROR" or "FAILURE")
            {
                continue;
            }

            var tracking = fulfillment["trackingInfo"]?.AsArray().FirstOrDefault(t => !string.IsNullOrWhiteSpace((string?)t?["number"]));
            var lines = (fulfillment["fulfillmentLineItems"]?["nodes"]?.AsArray() ?? [])
                .Where(n => n is not null)
                .Select(n => new StoreShippedLine((string?)n!["lineItem"]?["variant"]?["id"], (string?)n["lineItem"]?["sku"], (int?)n["quantity"] ?? 0))
                .Where(l => l.Quantity > 0)
                .ToList();
            shipments.Add(new StoreShipment((string)fulfillment["id"]!, (string?)tracking?["number"], (string?)tracking?["company"], lines));
        }

        return new StoreOrderState(ParseTime(order["cancelledAt"]), (string?)order["cancelReason"], shipments);
    }

    private static DateTimeOffset? ParseTime(JsonNode? value) =>
        DateTimeOffset.TryParse((string?)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
