using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Orders that look like real ones through the real SDK and the AMQP broker emulation (256 KB per message and batch,
/// reference/azure-service-bus-amqp.md §4), one fetch run per shop, and waiting work never queued behind bulk work (design §3).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class QueueTests(ITestOutputHelper output)
{
    private static string LongName(string sku) =>
        $"{sku} — Organic cotton oversized crew-neck sweatshirt with embroidered logo, ribbed cuffs and hem, brushed fleece lining, "
        + "garment-dyed for a soft vintage look, unisex relaxed fit, machine washable, ethically made in Portugal, gift box included";

    private static readonly SimAddressSpec LongAddress = new()
    {
        Name = "Maximiliana Alexandrina Montgomery-Fitzwilliam",
        AddressLine1 = "Apartment 1204, The Residences at Riverside Commons, 12345 North Riverside Boulevard East",
        AddressLine2 = "Building C, Entrance via the courtyard gate beside the community garden, buzzer code 4711",
        City = "Rancho Santa Margarita",
        County = "Orange County",
    };

    private static SimOrderSpec Lines(int skus, int unitsEach, string prefix) => new()
    {
        Lines = [.. Enumerable.Range(1, skus).Select(i => new SimLineSpec
        {
            SellerSku = $"{prefix}-{i:D2}",
            Quantity = unitsEach,
            SalePrice = 10m + i,
            ProductName = LongName($"{prefix}-{i:D2}"),
        })],
        ShippingType = "SELLER",
        Address = LongAddress,
        BuyerMessage = string.Concat(Enumerable.Repeat("Please gift wrap each item separately. ", 12)).Trim(),
    };

    [Fact]
    public async Task A_fetch_of_100_orders_of_20_line_items_with_long_names_and_addresses_imports_every_one()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("big100");
        foreach (var i in Enumerable.Range(1, 20))
        {
            store.AddProduct(LongName($"BIG-{i:D2}"), ($"BIG-{i:D2}", 10m + i, 1_000));
        }

        var orders = sandbox.TikTok.CreateOrders("big100", 100, _ => Lines(20, 1, "BIG"));

        await sandbox.FetchAndWaitAsync("big100", TimeSpan.FromMinutes(4));

        Assert.Empty(sandbox.DeadLetters);
        Assert.Equal(orders.Select(o => o.Id).Order(), store.Orders.Select(o => o.SourceIdentifier!).Order());
        Assert.All(store.Orders, o => Assert.Equal(20, o.LineItems.Sum(l => l.Quantity)));
        // The page's 100 orders (about 15 KB each) did not fit in one 256 KB batch: the SDK split them, and each went once.
        var queued = sandbox.BulkQueue.Sent.Where(m => m.Body.Contains("\"kind\":\"order\"", StringComparison.Ordinal)).ToList();
        var retries = queued.Where(m => m.MessageId.Contains(":retry", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{retries.Count} rescheduled attempts (store throttling or contention): {string.Join(", ", retries.Select(m => m.MessageId))}");
        queued = [.. queued.Except(retries)];
        Assert.Equal(100, queued.Count);
        Assert.True(queued.Sum(m => (long)m.BodyBytes.Length) > 262_144, "the page's orders together exceed one message");
    }

    [Fact]
    public async Task Orders_of_300_and_600_line_items_import_and_the_one_too_large_for_a_message_goes_without_its_snapshot()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("big300");
        foreach (var i in Enumerable.Range(1, 60))
        {
            store.AddProduct(LongName($"HUGE-{i:D2}"), ($"HUGE-{i:D2}", 10m + i, 1_000));
        }

        // TikTok allows 255-character product names; one line item per unit (reference/tiktok-shop-api.md).
        SimOrderSpec Large(int skus) => Lines(skus, 10, "HUGE") with
        {
            Lines = [.. Lines(skus, 10, "HUGE").Lines!.Select(l => l with
            {
                ProductName = LongName(l.SellerSku).PadRight(255, '.')[..255],
                SkuName = $"Colour: Heather grey melange with contrast piping; Size: XXL (chest 124-130 cm); Pack: {l.SellerSku}",
            })],
        };
        var fits = sandbox.TikTok.CreateOrder("big300", Large(30));
        var tooLarge = sandbox.TikTok.CreateOrder("big300", Large(60));

        await sandbox.FetchAndWaitAsync("big300", TimeSpan.FromMinutes(2));

        Assert.Empty(sandbox.DeadLetters);
        Assert.Equal(2, store.Orders.Count);
        var first = Assert.Single(store.Orders, o => o.SourceIdentifier == fits.Id);
        Assert.Equal(300, first.LineItems.Sum(l => l.Quantity));
        var second = Assert.Single(store.Orders, o => o.SourceIdentifier == tooLarge.Id);
        Assert.Equal(60, second.LineItems.Count);
        Assert.Equal(600, second.LineItems.Sum(l => l.Quantity));

        // The 600-unit order's snapshot is over 256 KB: its message went without it and the order was read again from TikTok.
        var message = Assert.Single(sandbox.BulkQueue.Sent, m => m.Body.Contains(tooLarge.Id, StringComparison.Ordinal) && m.Body.Contains("\"kind\":\"order\"", StringComparison.Ordinal));
        Assert.True(message.BodyBytes.Length < 4_096, $"queued without the snapshot ({message.BodyBytes.Length} bytes)");
        Assert.Contains(sandbox.TikTok.Requests, r => r.Path == "/order/202309/orders" && r.RawQuery.Contains(tooLarge.Id, StringComparison.Ordinal));
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("big300", tooLarge.Id)).GetProperty("importState").GetString());
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("big300", fits.Id)).GetProperty("importState").GetString());
    }

    [Fact]
    public async Task Fifty_concurrent_Fetch_Order_presses_make_one_run()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("press50");
        store.AddProduct("Cap", ("CAP-1", 12m, 500));
        sandbox.TikTok.CreateOrders("press50", 5, _ => TestOrders.Spec(("CAP-1", 1, 12m)));

        // TikTok takes 3 s to answer the search, so the run is still going while the presses arrive (it would
        // otherwise finish within the burst, and a press after the end rightly starts a new run).
        sandbox.TikTok.InjectFault(new SimFault { PathPrefix = "/order/202309/orders/search", HttpStatus = 0, Delay = TimeSpan.FromSeconds(3), Times = 1 });

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await sandbox.FetchAsync("press50");
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));
        await sandbox.Host.WaitForIdleAsync(TimeSpan.FromSeconds(90));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var runIds = answers.Select(a => a.Body.GetProperty("runId").GetString()).Distinct().ToList();
        Assert.Single(runIds);
        Assert.Equal(49, answers.Count(a => a.Body.GetProperty("joined").GetBoolean()));
        Assert.Single(sandbox.Sent, m => m.Body.Contains("\"kind\":\"fetch\"", StringComparison.Ordinal));
        Assert.Equal(1, sandbox.TikTok.Requests.Count(r => r.Path == "/order/202309/orders/search"));
        Assert.Equal(5, store.Orders.Count);

        // Once the run is over, the next press starts a new one.
        using var later = await sandbox.FetchAsync("press50");
        var next = await later.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(next.GetProperty("joined").GetBoolean());
        Assert.NotEqual(runIds[0], next.GetProperty("runId").GetString());
    }

    [Fact]
    public async Task With_a_5000_order_backfill_queued_a_new_orders_webhook_reaches_the_store_within_seconds()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            ConfigureTikTok = o => o.WebhookRetrySchedule = [TimeSpan.FromMilliseconds(200)],
        });
        var (_, store) = await sandbox.ConnectShopAsync("backfill");
        store.AddProduct("Cap", ("CAP-1", 12m, 100_000));
        var backlog = sandbox.TikTok.CreateOrders("backfill", 5_000, _ => TestOrders.Spec(("CAP-1", 1, 12m)));

        // The backfill as a first fetch queues it: one bulk message per order (here put straight on the bulk queue, so that
        // all 5,000 wait there at once instead of trickling in page by page).
        foreach (var order in backlog)
        {
            sandbox.BulkQueue.Send(new Connector.Sandbox.Functions.QueueMessage
            {
                Body = JsonSerializer.Serialize(new { kind = "order", shopId = "backfill", orderId = order.Id, updateTime = order.UpdateTime, reason = "fetch" }),
                MessageId = $"order:backfill:{order.Id}:{order.UpdateTime}",
            });
        }

        await TestWait.UntilAsync(() => store.Orders.Count >= 20, TimeSpan.FromSeconds(60));
        sandbox.EnableWebhooks();
        var clock = Stopwatch.StartNew();
        var urgent = sandbox.TikTok.CreateOrder("backfill", TestOrders.Spec(("CAP-1", 2, 12m)));
        await TestWait.UntilAsync(() => store.Orders.Any(o => o.SourceIdentifier == urgent.Id), TimeSpan.FromSeconds(30));
        var waited = clock.Elapsed;
        var backfillLeft = sandbox.BulkQueue.ActiveCount + sandbox.BulkQueue.InFlightCount;
        output.WriteLine($"webhook order in the store after {waited.TotalMilliseconds:F0} ms; {store.Orders.Count - 1} backfill orders imported, {backfillLeft} still queued");

        Assert.True(backfillLeft > 1_000, $"the backfill was still draining ({backfillLeft} left)");
        Assert.True(waited < TimeSpan.FromSeconds(10), $"the webhook's order waited {waited.TotalSeconds:F1} s");
    }
}
