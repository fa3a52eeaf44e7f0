using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.Stores.Shopify;

/// <summary>
/// A refund TikTok completed → <c>refundCreate</c> on the Shopify order (admin-2026-01.schema.graphql; store-apis.md §2.4):
/// the returned units as <c>refundLineItems</c> (restocked as RETURN when fulfilled, CANCEL when not, or NO_RESTOCK),
/// TikTok's refunded amount as a REFUND transaction, and the return id as the <c>@idempotent</c> key, which Shopify
/// requires from 2026-04 and honours from 2026-01. The refund's note names the TikTok return, so a refund Shopify already
/// shows (an answer lost before the key existed) is found before another is made.
/// </summary>
public sealed partial class ShopifyClient
{
    public const string RefundGateway = "TikTok Shop";

    public async Task<string> RefundAsync(StoreAccess shop, string storeOrderId, StoreRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        var order = (await QueryAsync(shop, ShopifyQueries.RefundState, new { id = storeOrderId }, cancellationToken))?["order"]
            ?? throw new StoreRejectedException($"Shopify order {storeOrderId} no longer exists; the refund of TikTok return {refund.Key} cannot be recorded there.");
        var marker = NoteMarker(refund.Key);
        var existing = (order["refunds"]?.AsArray() ?? []).FirstOrDefault(r => ((string?)r?["note"])?.Contains(marker, StringComparison.Ordinal) == true);
        if (existing is not null)
        {
            return $"Shopify already shows refund {(string?)existing["id"]} for TikTok return {refund.Key}.";
        }

        var lines = RefundLines(order, refund);
        var input = new JsonObject
        {
            ["orderId"] = storeOrderId,
            ["note"] = Truncate($"{refund.Note} ({marker})", 255),
            ["notify"] = false,
            ["refundLineItems"] = new JsonArray([.. lines.Select(l => (JsonNode)new JsonObject
            {
                ["lineItemId"] = l.LineItemId,
                ["quantity"] = l.Quantity,
                ["restockType"] = l.RestockType,
            })]),
        };
        if (refund.Amount is > 0m and var amount)
        {
            input["transactions"] = new JsonArray(new JsonObject
            {
                ["orderId"] = storeOrderId,
                ["kind"] = "REFUND",
                ["gateway"] = RefundGateway,
                ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture),
            });
        }

        var data = await QueryAsync(shop, ShopifyQueries.RefundCreate, new { input, key = IdempotencyKey(refund.Key) }, cancellationToken);
        ThrowOnUserErrors(data?["refundCreate"], "refund");
        var id = (string?)data?["refundCreate"]?["refund"]?["id"] ?? "(no id)";
        var units = lines.Sum(l => l.Quantity);
        var restocked = lines.Where(l => l.RestockType != "NO_RESTOCK").Sum(l => l.Quantity);
        return $"Shopify refund {id}: {units} unit(s){(refund.Amount is > 0m ? $", {refund.Amount.Value.ToString("0.00", CultureInfo.InvariantCulture)} {refund.Currency}" : "")}, "
            + (restocked > 0 ? $"{restocked} restocked." : "not restocked.");
    }

    /// <summary>The key Shopify dedupes refundCreate by: one per TikTok return.</summary>
    public static string IdempotencyKey(string returnId) => $"connector-refund-{returnId}";

    public static string NoteMarker(string returnId) => $"TikTok return {returnId}";

    private sealed record RefundLine(string LineItemId, int Quantity, string RestockType);

    /// <summary>Each SKU's units over the order's lines with that SKU, fulfilled units first (RETURN), then unfulfilled (CANCEL).</summary>
    private static List<RefundLine> RefundLines(JsonNode order, StoreRefund refund)
    {
        var items = order["lineItems"]?["nodes"]?.AsArray() ?? [];
        var result = new List<RefundLine>();
        foreach (var (sku, units) in refund.Units)
        {
            var left = units;
            foreach (var item in items.Where(i => string.Equals((string?)i?["sku"], sku, StringComparison.Ordinal)))
            {
                var refundable = (int?)item!["refundableQuantity"] ?? 0;
                var unfulfilled = Math.Min((int?)item["unfulfilledQuantity"] ?? 0, refundable);
                var id = (string)item["id"]!;
                var fulfilled = Math.Min(left, refundable - unfulfilled);
                if (fulfilled > 0)
                {
                    result.Add(new RefundLine(id, fulfilled, refund.Restock ? "RETURN" : "NO_RESTOCK"));
                    left -= fulfilled;
                }

                var open = Math.Min(left, unfulfilled);
                if (open > 0)
                {
                    result.Add(new RefundLine(id, open, refund.Restock ? "CANCEL" : "NO_RESTOCK"));
                    left -= open;
                }
            }

            if (left > 0)
            {
                throw new StoreRejectedException(
                    $"TikTok refunded {units} unit(s) of SKU {sku}, but the Shopify order has only {units - left} left to refund for it; refund the rest in Shopify by hand.");
            }
        }

        return result;
    }
}
