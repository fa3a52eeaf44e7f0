using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Connector.Messaging;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Microsoft.Extensions.DependencyInjection;

using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>TikTok order → Service Bus → Shopify, end to end over real HTTP against Azurite and the simulators.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ImportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Fetch_of_250_orders_across_pages_creates_one_shopify_order_each()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shop250");
        store.AddProduct("Mug", ("MUG-RED", 9.50m, 10_000), ("MUG-BLUE", 9.50m, 10_000));
        var orders = sandbox.TikTok.CreateOrders("shop250", 250, i => TestOrders.Spec((i % 2 == 0 ? "MUG-RED" : "MUG-BLUE", 1 + (i % 3), 9.50m)));

        await sandbox.FetchAndWaitAsync("shop250", TimeSpan.FromSeconds(120));

        Assert.Equal(250, store.Orders.Count);
        Assert.Equal(orders.Select(o => o.Id).Order(), store.Orders.Select(o => o.SourceIdentifier).Order());
        var searches = sandbox.TikTok.Requests.Where(r => r.Path == "/order/202309/orders/search").ToList();
        Assert.True(searches.Count >= 3, $"250 orders at 100 a page need 3 pages; saw {searches.Count} searches");

        // Units became quantities: an order with 3 units has one line of quantity 3 at the TikTok price (§4.4).
        var threeUnits = orders.First(o => o.LineItems.Count == 3);
        var created = store.Orders.Single(o => o.SourceIdentifier == threeUnits.Id);
        var line = Assert.Single(created.LineItems);
        Assert.Equal(3, line.Quantity);
        Assert.Equal(9.50m, line.Price);
        Assert.Empty(sandbox.DeadLetters);
    }

    [Fact]
    public async Task Imported_order_carries_address_email_shipping_line_source_and_claims_stock()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shopdetail");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("shopdetail", TestOrders.Spec(("CAP-1", 2, 12m)) with { ShippingType = "TIKTOK" });

        await sandbox.FetchAndWaitAsync("shopdetail");

        var created = Assert.Single(store.Orders);
        Assert.Equal(order.Id, created.SourceIdentifier);
        Assert.Equal("tiktok_shop", created.SourceName);
        Assert.Equal("buyerid@tiktok.com", created.Email);
        Assert.Equal("Shipped by TTS platform", Assert.Single(created.ShippingLines).Title);
        Assert.Equal("PAID", created.FinancialStatus);
        Assert.Contains("TikTok", created.Tags);
        Assert.Equal("Culver City", created.ShippingAddress?.City);
        Assert.Equal("US", created.ShippingAddress?.CountryCode);
        Assert.Equal(48, store.InventoryOf("CAP-1"));

        var view = await sandbox.GetOrderAsync("shopdetail", order.Id);
        Assert.Equal(created.Id, view.GetProperty("storeOrderId").GetString());
        Assert.Equal("AWAITING_SHIPMENT", view.GetProperty("status").GetString());
        Assert.Equal(2, view.GetProperty("quantity").GetInt32());
        Assert.Equal("CAP-1", view.GetProperty("lines")[0].GetProperty("sellerSku").GetString());
    }

    [Fact]
    public async Task Merchant_email_setting_replaces_the_default_buyer_email()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shopemail", settings: new { buyerEmail = "orders@merchant.example" });
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        sandbox.TikTok.CreateOrder("shopemail", TestOrders.Spec(("CAP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("shopemail");

        Assert.Equal("orders@merchant.example", Assert.Single(store.Orders).Email);
    }

    [Fact]
    public async Task Unknown_sku_fails_the_order_with_a_reason_naming_it_and_creates_nothing()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shopmiss");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("shopmiss", TestOrders.Spec(("CAP-1", 1, 12m), ("GHOST-9", 1, 5m)));

        await sandbox.FetchAndWaitAsync("shopmiss");

        Assert.Empty(store.Orders);
        var view = await sandbox.GetOrderAsync("shopmiss", order.Id);
        Assert.Equal("FAILED", view.GetProperty("status").GetString());
        Assert.Equal("SKU_NOT_FOUND", view.GetProperty("failureCode").GetString());
        Assert.Contains("GHOST-9", view.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("Shopify", view.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["GHOST-9"], view.GetProperty("failingSkus").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(50, store.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Sku_shared_by_two_products_fails_as_ambiguous()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shopamb");
        store.AddProduct("Cap", ("DUP-1", 12m, 50));
        store.AddProduct("Other cap", ("DUP-1", 13m, 50));
        var order = sandbox.TikTok.CreateOrder("shopamb", TestOrders.Spec(("DUP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("shopamb");

        Assert.Empty(store.Orders);
        var view = await sandbox.GetOrderAsync("shopamb", order.Id);
        Assert.Equal("SKU_AMBIGUOUS", view.GetProperty("failureCode").GetString());
        Assert.Contains("DUP-1", view.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sku_differing_only_in_case_is_not_a_match()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shopcase");
        store.AddProduct("Cap", ("cap-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("shopcase", TestOrders.Spec(("CAP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("shopcase");

        Assert.Empty(store.Orders);
        Assert.Equal("SKU_NOT_FOUND", (await sandbox.GetOrderAsync("shopcase", order.Id)).GetProperty("failureCode").GetString());
    }

    [Fact]
    public async Task Unpaid_and_on_hold_orders_wait_and_a_cancelled_order_is_never_imported()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shophold");
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var unpaid = sandbox.TikTok.CreateOrder("shophold", TestOrders.Spec("UNPAID", ("CAP-1", 1, 12m)));
        var onHold = sandbox.TikTok.CreateOrder("shophold", TestOrders.Spec("ON_HOLD", ("CAP-1", 1, 12m)));
        var cancelled = sandbox.TikTok.CreateOrder("shophold", TestOrders.Spec("CANCELLED", ("CAP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("shophold");

        Assert.Empty(store.Orders);
        Assert.Equal("UNPAID", (await sandbox.GetOrderAsync("shophold", unpaid.Id)).GetProperty("status").GetString());
        Assert.Equal("ON_HOLD", (await sandbox.GetOrderAsync("shophold", onHold.Id)).GetProperty("status").GetString());
        var cancelledView = await sandbox.GetOrderAsync("shophold", cancelled.Id);
        Assert.Equal("CANCELLED", cancelledView.GetProperty("status").GetString());
        Assert.Equal("Skipped", cancelledView.GetProperty("importState").GetString());

        // Once TikTok releases the held order, the next fetch imports it; the cancelled one stays out.
        sandbox.TikTok.SetStatus(onHold.Id, "AWAITING_SHIPMENT");
        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(onHold.Id).UpdateTime);
        await sandbox.FetchAndWaitAsync("shophold");

        Assert.Equal(onHold.Id, Assert.Single(store.Orders).SourceIdentifier);
    }

    [Fact]
    public async Task A_second_fetch_finds_nothing_new_and_creates_no_duplicates()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shoptwice");
        store.AddProduct("Cap", ("CAP-1", 12m, 500));
        sandbox.TikTok.CreateOrders("shoptwice", 5, _ => TestOrders.Spec(("CAP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("shoptwice");
        var sentAfterFirst = sandbox.Sent.Count;
        await sandbox.FetchAndWaitAsync("shoptwice");

        Assert.Equal(5, store.Orders.Count);

        // The second run overlaps the first window but queues no order work: every order is up to date. (It also scans the
        // store, where Connector's own new orders show up as changes to check once.)
        var second = sandbox.Sent.Skip(sentAfterFirst).Select(m => m.Body).ToList();
        Assert.Single(second, b => b.Contains("\"kind\":\"fetch\"", StringComparison.Ordinal));
        Assert.DoesNotContain(second, b => b.Contains("\"kind\":\"order\"", StringComparison.Ordinal));
        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/shoptwice");
        Assert.True(shop.GetProperty("lastFetchAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task Timer_queues_one_fetch_per_connected_shop_and_imports_their_orders()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        foreach (var shopId in new[] { "tshopa", "tshopb", "tshopc" })
        {
            var (_, store) = await sandbox.ConnectShopAsync(shopId);
            store.AddProduct("Cap", ("CAP-1", 12m, 50));
            sandbox.TikTok.CreateOrder(shopId, TestOrders.Spec(("CAP-1", 1, 12m)));
        }

        await sandbox.Host.TriggerTimerAsync("FetchOrdersTimer");
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        Assert.All(new[] { "tshopa", "tshopb", "tshopc" }, id => Assert.Single(sandbox.Shopify.GetShop($"store-{id}").Orders));
        var fetchJobs = sandbox.Sent.Count(m => m.Body.Contains("\"kind\":\"fetch\"", StringComparison.Ordinal));
        Assert.Equal(3, fetchJobs);
    }

    [Fact]
    public async Task Fetch_order_answers_202_at_once_with_what_was_started()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("shop202");

        using var response = await sandbox.FetchAsync("shop202");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("shop202", body.GetProperty("shopId").GetString());
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("runId").GetString()));
    }

    [Fact]
    public async Task Order_hold_period_keeps_a_paid_order_waiting_then_imports_it_on_time()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("shophold2", settings: new { orderHoldMinutes = 1 });
        store.AddProduct("Cap", ("CAP-1", 12m, 50));

        // Paid 57 s ago with a 1-minute hold: released about 3 s from now.
        var paid = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 57;
        var order = sandbox.TikTok.CreateOrder("shophold2", TestOrders.Spec(("CAP-1", 1, 12m)) with { CreateTime = paid });
        using (var fetch = await sandbox.FetchAsync("shophold2"))
        {
            Assert.Equal(HttpStatusCode.Accepted, fetch.StatusCode);
        }

        await TestWait.UntilAsync(() => sandbox.Queue.ScheduledCount == 1, TimeSpan.FromSeconds(20));
        var held = await sandbox.GetOrderAsync("shophold2", order.Id);
        Assert.Equal("Waiting", held.GetProperty("importState").GetString());
        Assert.Empty(store.Orders);
        var until = held.GetProperty("holdUntil").GetDateTimeOffset();
        Assert.InRange(until.ToUnixTimeSeconds(), paid + 59, paid + 61);

        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        var created = Assert.Single(store.Orders);
        Assert.True(created.CreatedAt >= until.AddSeconds(-1), $"created {created.CreatedAt:O} before the hold ended {until:O}");
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("shophold2", order.Id)).GetProperty("importState").GetString());
    }
    [Fact]
    public async Task A_held_order_whose_release_message_could_not_be_queued_is_still_released_on_time()
    {
        var refused = 0;
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            // Service Bus refuses the first "bring it back at the end of the hold" message once.
            ConfigureHandler = b => b.Services.AddSingleton<IQueueSender>(sp => new RefuseFirstHoldSend(
                ActivatorUtilities.CreateInstance<ServiceBusQueueSender>(sp), () => Interlocked.Increment(ref refused))),
        });
        var (_, store) = await sandbox.ConnectShopAsync("shophold3", settings: new { orderHoldMinutes = 1 });
        store.AddProduct("Cap", ("CAP-1", 12m, 50));
        var order = sandbox.TikTok.CreateOrder("shophold3", TestOrders.Spec(("CAP-1", 1, 12m)) with { CreateTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 50 });

        await sandbox.FetchAndWaitAsync("shophold3", TimeSpan.FromSeconds(90));

        Assert.Equal(1, refused);
        Assert.Single(store.Orders);
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("shophold3", order.Id)).GetProperty("importState").GetString());
    }

    private sealed class RefuseFirstHoldSend(IQueueSender inner, Func<int> refuse) : IQueueSender
    {
        private int _refusedOnce;

        public Task SendAsync(IReadOnlyCollection<QueueMessage> messages, CancellationToken cancellationToken)
        {
            if (messages.OfType<OrderWork>().Any(m => m.Reason == "hold") && Interlocked.Exchange(ref _refusedOnce, 1) == 0)
            {
                refuse();
                throw new ServiceBusException(isTransient: true, "Refused by the test.", reason: ServiceBusFailureReason.ServiceBusy);
            }

            return inner.SendAsync(messages, cancellationToken);
        }
    }
}
