using System.Globalization;
using System.Text;
using Connector.Sandbox.TikTok;

namespace Connector.Testing;

/// <summary>
/// Table operations of one phase, by kind: all of them, those of the order messages' handling, and those of the store scan
/// (store → TikTok: it reads back each store order Connector created, once, as a store change).
/// </summary>
public sealed record TableCostPhase(
    string Title, int Orders, double Limit, IReadOnlyDictionary<string, int> All, IReadOnlyDictionary<string, int> OrderMessages,
    IReadOnlyDictionary<string, int> StoreScan)
{
    private double Per(IReadOnlyDictionary<string, int> counts) => counts.Values.Sum() / (double)Math.Max(1, Orders);

    public double PerOrder => Per(All);

    public double MessagePerOrder => Per(OrderMessages);

    public double StoreScanPerOrder => Per(StoreScan);

    /// <summary>The order's import: everything but the store scan (the fetch run's share included).</summary>
    public double ImportPerOrder => PerOrder - StoreScanPerOrder;

    /// <summary>One line per kind: per order in all, in the order's own message, in the store scan; and the raw count.</summary>
    public string Format()
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"{Title}, over {Orders} orders: {ImportPerOrder:0.00} Table operations per order without the store scan{(double.IsNaN(Limit) ? "" : $" (limit {Limit:0})")}, "
            + $"{MessagePerOrder:0.00} in the order's own message, {StoreScanPerOrder:0.00} in the store scan\n    kind                all/order  message  store scan  (count)"));
        foreach (var kind in All.Keys.Order(StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n    {kind,-18} {All[kind] / (double)Math.Max(1, Orders),9:0.00} {OrderMessages.GetValueOrDefault(kind) / (double)Math.Max(1, Orders),8:0.00} {StoreScan.GetValueOrDefault(kind) / (double)Math.Max(1, Orders),11:0.00}  ({All[kind]})");
        }

        return text.ToString();
    }
}

/// <summary>
/// Measures Table operations per order as a new merchant meets them (issue 12): a shop's new orders imported through
/// Fetch Order (16 concurrent deliveries, as host.json allows), then a TikTok status change on each of them that changes
/// nothing in the store (seller-shipped orders moving to AWAITING_COLLECTION). Counted at the SDK transport.
/// </summary>
public static class TableCost
{
    public const double NewOrderLimit = 6;
    public const double StatusUpdateLimit = 3;

    public static async Task<TableCostResult> MeasureAsync(int count, Xunit.Abstractions.ITestOutputHelper? output = null)
    {
        var counter = new TableOperationCounter();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            ShopifyBucketSize = 100_000,
            ShopifyRestoreRate = 10_000,
            StoragePolicy = counter,
            ConfigureHandler = b => CountedWork.Register(b, counter),
            Output = output,
        });
        const string shopId = "tablecost";
        var (_, store) = await sandbox.ConnectShopAsync(shopId);
        store.AddProduct("Mug", ("MUG", 9.5m, 1_000_000), ("CAP", 12m, 1_000_000));
        SimOrderSpec Spec(int i) => new()
        {
            Lines = [new SimLineSpec { SellerSku = i % 2 == 0 ? "MUG" : "CAP", Quantity = 1 + (i % 3), SalePrice = 9.5m }],
            ShippingType = "SELLER",
        };

        // Warm-up (tables created, first reads of the shop and its SKUs): a process does that once, not per order.
        sandbox.TikTok.CreateOrders(shopId, 2, Spec);
        await sandbox.FetchAndWaitAsync(shopId, TimeSpan.FromMinutes(5));
        await sandbox.FetchAndWaitAsync(shopId, TimeSpan.FromMinutes(5));
        var before = store.Orders.Count;

        TableCostPhase Phase(string title, int orders, double limit) =>
            new(title, orders, limit, counter.ByKind(), counter.ByKind(CountedWork.OrderMessage), counter.ByKind(CountedWork.StoreScan));

        counter.Reset();
        var created = sandbox.TikTok.CreateOrders(shopId, count, Spec);
        await sandbox.FetchAndWaitAsync(shopId, TimeSpan.FromMinutes(10));
        var newOrders = Phase("New order import (Fetch Order run)", store.Orders.Count - before, NewOrderLimit);

        // Store update times have whole seconds; the write-back counts a change as seen once it is 5 s old (StoreWriteBack).
        // Runs come every 5 minutes, so the next run always finds the changes settled; wait as long here.
        await Task.Delay(TimeSpan.FromSeconds(6));

        // The next run: TikTok has nothing new, but the store scan finds the store orders Connector just created (their
        // creation is a store change) and checks each once for something to carry to TikTok.
        counter.Reset();
        await sandbox.FetchAndWaitAsync(shopId, TimeSpan.FromMinutes(10));
        var readBack = Phase("Next run: the store scan reads back the new store orders", created.Count, double.NaN);

        counter.Reset();
        foreach (var order in created)
        {
            sandbox.TikTok.SetStatus(order.Id, TikTokOrderStatus.AwaitingCollection);
        }

        await sandbox.FetchAndWaitAsync(shopId, TimeSpan.FromMinutes(10));
        var updates = Phase("Status update that changes nothing in the store (Fetch Order run)", created.Count, StatusUpdateLimit);
        var duplicates = store.Orders.Count - store.Orders.Select(o => o.SourceIdentifier).Distinct().Count();
        return new TableCostResult(newOrders, readBack, updates, store.Orders.Count - before, duplicates);
    }
}

public sealed record TableCostResult(TableCostPhase NewOrders, TableCostPhase StoreReadBack, TableCostPhase StatusUpdates, int StoreOrders, int Duplicates);
