using System.Globalization;
using Connector.Sandbox.PrestaShop;
using Connector.State;
using Connector.Stores;
using Connector.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Store → TikTok, the PrestaShop reads: a TikTok order imported through the sandbox, then the merchant ships or cancels it
/// in the back office (simulator), then the client lists the changed orders and reads what the merchant did.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PrestaShopWriteBackReadTests(ITestOutputHelper output)
{
    private const string Tracking = "1Z999AA10123456784";

    private Task<TestSandbox> StartAsync(int? changesPageSize = null) => TestSandbox.StartAsync(new SandboxOptions
    {
        Output = output,
        ConfigureHandler = builder =>
        {
            if (changesPageSize is { } size)
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["PrestaShop:ChangesPageSize"] = size.ToString(CultureInfo.InvariantCulture) });
            }
        },
    });

    /// <summary>The handler's own PrestaShop change feed and catalogue and the stored shop's store access, as the store-change scanner gets them.</summary>
    private static async Task<(IStoreChangeFeed Client, IStoreCatalog Catalog, StoreAccess Shop)> ClientAsync(TestSandbox sandbox, string shopId)
    {
        var services = sandbox.Handler.Services;
        var shop = await services.GetRequiredService<ShopStore>().GetAsync(shopId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Shop {shopId} is not stored.");
        var stores = services.GetRequiredService<StoreClients>();
        return (stores.ChangeFeed(shop.Platform) ?? throw new InvalidOperationException("PrestaShop has a change feed."), stores.Catalog(shop.Platform), StoreAccess.From(shop));
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_shipment_made_in_the_back_office_is_listed_in_shop_time_and_read_with_tracking_carrier_and_every_line()
    {
        await using var sandbox = await StartAsync();

        // A New York shop: date_upd is local wall-clock time, four hours behind UTC in summer, five in winter.
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("psship", new PrestaShopShopOptions { TimeZone = "America/New_York" });
        var cap = shop.AddProduct("CAP-1", priceTaxExcl: 10m, quantity: 10);
        var tee = shop.AddProduct("TEE", priceTaxExcl: 18m, quantity: 0);
        var teeRed = shop.AddCombination(tee, "TEE-RED", impactPrice: 2m, quantity: 5);
        var before = DateTimeOffset.UtcNow;
        var order = sandbox.TikTok.CreateOrder("psship", TestOrders.Spec(("CAP-1", 2, 12m), ("TEE-RED", 1, 15m)));
        await sandbox.FetchAndWaitAsync("psship");
        var created = Assert.Single(shop.Orders);
        var storefront = shop.PlaceStorefrontOrder("shopper@example.com", ("CAP-1", 1));

        shop.ShipOrder(created.Id, Tracking, carrierId: 2);
        var after = DateTimeOffset.UtcNow;

        var (client, catalog, stored) = await ClientAsync(sandbox, "psship");
        var page = await client.ListChangedOrdersAsync(stored, before, null, CancellationToken.None);
        var change = Assert.Single(page.Orders);
        Assert.Null(page.NextPageToken);
        Assert.Equal(Id(created.Id), change.StoreOrderId);
        Assert.Equal((await sandbox.GetOrderAsync("psship", order.Id)).GetProperty("storeOrderId").GetString(), change.StoreOrderId);
        Assert.Equal(order.Id, change.TikTokOrderId);
        Assert.InRange(change.UpdatedAt, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.DoesNotContain(page.Orders, o => o.StoreOrderId == Id(storefront));
        Assert.Empty((await client.ListChangedOrdersAsync(stored, after.AddSeconds(2), null, CancellationToken.None)).Orders);

        var state = await client.GetOrderStateAsync(stored, change.StoreOrderId, CancellationToken.None);
        Assert.NotNull(state);
        Assert.Null(state.CancelledAt);
        Assert.Null(state.CancelReason);
        var shipment = Assert.Single(state.Shipments);
        Assert.Equal($"order_carrier/{Assert.Single(shop.Orders.Single(o => o.Id == created.Id).Carriers).Id}", shipment.Id);
        Assert.Equal(Tracking, shipment.TrackingNumber);
        Assert.Equal("My carrier", shipment.Carrier);

        // Every order row, with the product id Connector matched the SKU to.
        var capId = Assert.Single(await catalog.FindProductsBySkuAsync(stored, "CAP-1", CancellationToken.None)).Id;
        var teeRedId = Assert.Single(await catalog.FindProductsBySkuAsync(stored, "TEE-RED", CancellationToken.None)).Id;
        Assert.Equal($"{cap}:0", capId);
        Assert.Equal($"{tee}:{teeRed}", teeRedId);
        Assert.Equal(
            [new StoreShippedLine(capId, "CAP-1", 2), new StoreShippedLine(teeRedId, "TEE-RED", 1)],
            shipment.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_cancellation_in_the_back_office_is_listed_and_read_with_its_date_and_no_shipment()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("pscanc");
        shop.AddProduct("CAP-1", priceTaxExcl: 12m, quantity: 50);
        var before = DateTimeOffset.UtcNow;
        var order = sandbox.TikTok.CreateOrder("pscanc", TestOrders.Spec(("CAP-1", 2, 12m)));
        await sandbox.FetchAndWaitAsync("pscanc");
        var created = Assert.Single(shop.Orders);

        shop.CancelOrder(created.Id);
        var after = DateTimeOffset.UtcNow;

        var (client, _, stored) = await ClientAsync(sandbox, "pscanc");
        var change = Assert.Single((await client.ListChangedOrdersAsync(stored, before, null, CancellationToken.None)).Orders);
        Assert.Equal((Id(created.Id), order.Id), (change.StoreOrderId, change.TikTokOrderId));
        var state = await client.GetOrderStateAsync(stored, change.StoreOrderId, CancellationToken.None);
        Assert.NotNull(state);
        var cancelled = shop.Orders.Single().OrderHistories.Last(h => h.OrderStateId == shop.OrderStateIds["PS_OS_CANCELED"]);
        Assert.Equal(cancelled.DateAdd, state.CancelledAt);
        Assert.InRange(state.CancelledAt!.Value, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.Null(state.CancelReason);
        Assert.Empty(state.Shipments);
        Assert.Equal(50, shop.StockOf("CAP-1"));
    }

    [Fact]
    public async Task Shipped_without_a_tracking_number_has_no_shipment_yet_and_an_unknown_order_is_null()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("psnotrack");
        shop.AddProduct("CAP-1", priceTaxExcl: 12m, quantity: 50);
        sandbox.TikTok.CreateOrder("psnotrack", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("psnotrack");
        var created = Assert.Single(shop.Orders);
        var (client, _, stored) = await ClientAsync(sandbox, "psnotrack");

        var imported = await client.GetOrderStateAsync(stored, Id(created.Id), CancellationToken.None);
        shop.SetOrderState(created.Id, "PS_OS_SHIPPING");
        var shippedUntracked = await client.GetOrderStateAsync(stored, Id(created.Id), CancellationToken.None);
        shop.SetShippingDetails(created.Id, Tracking);
        var tracked = await client.GetOrderStateAsync(stored, Id(created.Id), CancellationToken.None);
        shop.SetOrderState(created.Id, "PS_OS_DELIVERED");
        var delivered = await client.GetOrderStateAsync(stored, Id(created.Id), CancellationToken.None);

        Assert.Null(imported!.CancelledAt);
        Assert.Empty(imported.Shipments);
        Assert.Empty(shippedUntracked!.Shipments);
        Assert.Equal(Tracking, Assert.Single(tracked!.Shipments).TrackingNumber);
        Assert.Equal("Click and collect", Assert.Single(delivered!.Shipments).Carrier);
        Assert.Null(await client.GetOrderStateAsync(stored, "999999", CancellationToken.None));
        Assert.Null(await client.GetOrderStateAsync(stored, "not-an-id", CancellationToken.None));
    }

    [Fact]
    public async Task Pages_follow_date_upd_then_id_so_an_order_changed_between_pages_moves_on_instead_of_pushing_another_out()
    {
        await using var sandbox = await StartAsync(changesPageSize: 2);
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("pspage");
        shop.AddProduct("CAP-1", priceTaxExcl: 12m, quantity: 50);
        var before = DateTimeOffset.UtcNow;
        var tiktokIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            tiktokIds.Add(sandbox.TikTok.CreateOrder("pspage", TestOrders.Spec(("CAP-1", 1, 12m))).Id);
        }

        await sandbox.FetchAndWaitAsync("pspage");
        Assert.Equal(3, shop.Orders.Count);
        shop.PlaceStorefrontOrder("shopper@example.com", ("CAP-1", 1));
        var (client, _, stored) = await ClientAsync(sandbox, "pspage");

        var first = await client.ListChangedOrdersAsync(stored, before, null, CancellationToken.None);
        Assert.Equal(2, first.Orders.Count);
        Assert.NotNull(first.NextPageToken);

        // The merchant cancels the first listed order a second later: it moves behind the cursor's end, and the order
        // that was third is still on the next page (an offset would now skip it).
        await TestWait.UntilPastAsync(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        shop.CancelOrder(long.Parse(first.Orders[0].StoreOrderId, CultureInfo.InvariantCulture));
        var seen = first.Orders.ToList();
        var token = first.NextPageToken;
        for (var pages = 0; token is not null; pages++)
        {
            Assert.True(pages < 5, "paging does not end");
            var next = await client.ListChangedOrdersAsync(stored, before, token, CancellationToken.None);
            seen.AddRange(next.Orders);
            token = next.NextPageToken;
        }

        Assert.Equal(tiktokIds.Order(StringComparer.Ordinal), seen.Select(o => o.TikTokOrderId).Distinct().Order(StringComparer.Ordinal));
        var moved = seen.Where(o => o.StoreOrderId == first.Orders[0].StoreOrderId).ToList();
        Assert.Equal(2, moved.Count);
        Assert.True(moved[1].UpdatedAt > moved[0].UpdatedAt);
        Assert.Equal(seen.Select(o => o.UpdatedAt).Order(), seen.Select(o => o.UpdatedAt));
    }
}
