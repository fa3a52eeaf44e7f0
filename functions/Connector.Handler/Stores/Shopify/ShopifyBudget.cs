using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Connector.Stores.Shopify;

/// <summary>
/// Shopify's cost bucket per store (store-apis.md §2.5) as a <see cref="RateBudget"/>: a call reserves the cost its query
/// was last charged as requested (Shopify takes the requested cost before running it), and each answer's
/// <c>extensions.cost</c> settles the reservation with the actual cost and corrects the mirror with <c>throttleStatus</c>.
/// </summary>
public sealed class ShopifyBudget(StoreBudgets budgets, IOptions<ShopifyOptions> options)
{
    private readonly ConcurrentDictionary<string, double> _requestedCost = new(StringComparer.Ordinal);

    /// <summary>The budget of the store at <paramref name="shop"/>'s address (Shopify's bucket is per app and store).</summary>
    public RateBudget For(StoreAccess shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var key = shop.BaseUrl.TrimEnd('/').ToUpperInvariant();
        return budgets.For(StorePlatforms.Shopify, key, options.Value.AssumedBucketSize, options.Value.AssumedRestoreRate);
    }

    /// <summary>What to reserve for <paramref name="query"/>: the requested cost Shopify reported for it last time.</summary>
    public double CostOf(string query) => _requestedCost.TryGetValue(query, out var cost) ? cost : options.Value.AssumedQueryCost;

    /// <summary>Settles a reservation of <paramref name="reserved"/> points with the answer's cost extension.</summary>
    public void Settle(RateBudget budget, string query, double reserved, JsonNode? body)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var cost = body?["extensions"]?["cost"];
        if (cost is null)
        {
            return; // an answer without a cost (validation errors) was not charged as far as we know: keep the reservation spent
        }

        if (Number(cost["requestedQueryCost"]) is { } requested and > 0)
        {
            _requestedCost[query] = requested;
        }

        // actualQueryCost is null when THROTTLED: nothing was run and nothing charged.
        budget.Return(reserved - (Number(cost["actualQueryCost"]) ?? 0));
        if (cost["throttleStatus"] is { } status
            && Number(status["currentlyAvailable"]) is { } available
            && Number(status["maximumAvailable"]) is { } maximum
            && Number(status["restoreRate"]) is { } restore)
        {
            budget.Observe(maximum, available, restore);
        }
    }

    /// <summary>A JSON number however it was made (parsed answers hold elements, built ones hold ints or doubles).</summary>
    private static double? Number(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<double>(out var d) ? d : value.TryGetValue<long>(out var l) ? l : value.TryGetValue<int>(out var i) ? i : null
        : null;
}
