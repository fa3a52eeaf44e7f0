using System.Collections.Concurrent;

namespace Connector.Stores;

/// <summary>
/// The <see cref="RateBudget"/> of each store this process calls, by platform and budget key (Shopify: the store's address,
/// since its bucket is per app and store; Etsy: the app, since its allowance is per app). One per process: every delivery
/// this instance runs for a store draws on the same budget.
/// </summary>
public sealed class StoreBudgets(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Platform, string Key), RateBudget> _budgets = new();

    /// <summary>The budget of <paramref name="key"/>, created with the given first guess until the store's first answer corrects it.</summary>
    public RateBudget For(string platform, string key, double capacity, double restorePerSecond) =>
        _budgets.GetOrAdd((platform, key), static (_, state) => new RateBudget(state.capacity, state.restorePerSecond, state.time), (capacity, restorePerSecond, time));
}
