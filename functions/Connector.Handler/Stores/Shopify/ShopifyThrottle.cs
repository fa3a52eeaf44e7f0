using System.Text.Json.Nodes;

namespace Connector.Stores.Shopify;

/// <summary>Reads Shopify's cost extension (store-apis.md §2.5) to decide whether and how long to wait.</summary>
public static class ShopifyThrottle
{
    public static bool IsThrottled(JsonNode? body) =>
        body?["errors"] is JsonArray errors
        && errors.Any(e => string.Equals((string?)e?["extensions"]?["code"], "THROTTLED", StringComparison.Ordinal));

    /// <summary>Time until the bucket holds the requested cost again: (requested - available) / restoreRate, at least 100 ms.</summary>
    public static TimeSpan Delay(JsonNode? body, TimeSpan max)
    {
        var cost = body?["extensions"]?["cost"];
        var requested = (double?)cost?["requestedQueryCost"] ?? 50;
        var available = (double?)cost?["throttleStatus"]?["currentlyAvailable"] ?? 0;
        var restoreRate = (double?)cost?["throttleStatus"]?["restoreRate"] ?? 50;
        var seconds = Math.Max(0.1, (requested - available) / Math.Max(1, restoreRate));
        var delay = TimeSpan.FromSeconds(seconds);
        return delay > max ? max : delay;
    }
}
