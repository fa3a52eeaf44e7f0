using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// Order actions (issue 13): cancel from the order page, approve or reject a buyer's cancellation request
/// (reference/tiktok-shop-api.md §6.2), and TikTok showing the store order number (order API 202406). TikTok and the store
/// each see every action once, however often it is pressed and whichever of Connector's re-read or TikTok's webhook comes first.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OrderActionTests(ITestOutputHelper output)
{
    private Task<TestSandbox> StartAsync() => TestSandbox.StartAsync(new SandboxOptions { Output = output });

    private static int Calls(TestSandbox sandbox, string method, string path) =>
        sandbox.TikTok.Requests.Count(r => r.Method == method && r.Path == path && r.Code == 0);

    private static int CancelCalls(TestSandbox sandbox) => Calls(sandbox, "POST", "/return_refund/202309/cancellations");

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(TestSandbox sandbox, string path, object body)
    {
        using var response = await sandbox.Api.PostAsJsonAsync(path, body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<JsonElement> GetJsonAsync(TestSandbox sandbox, string path)
    {
        using var response = await sandbox.Api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static bool Timeline(JsonElement view, string text) =>
        view.GetProperty("activity").EnumerateArray().Any(a => a.GetProperty("message").GetString()!.Contains(text, StringComparison.Ordinal));

    private static async Task<IReadOnlyList<string>> TabAsync(TestSandbox sandbox, string shopId, string status)
    {
        var page = await GetJsonAsync(sandbox, $"/api/orders?shopId={shopId}&status={status}");
        return [.. page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()!)];
    }

    [Fact]
    public async Task Cancelling_from_the_order_page_cancels_on_tiktok_and_the_store_order_once_with_the_stock_back()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actcancel");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actcancel", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("actcancel");
        Assert.Equal(48, store.InventoryOf("MUG-1"));
        sandbox.EnableWebhooks();

        var reasons = await GetJsonAsync(sandbox, $"/api/orders/{order.Id}/cancel-reasons?shopId=actcancel");
        Assert.Contains(reasons.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("key").GetString() == "seller_cancel_reason_out_of_stock");
        var (status, started) = await PostAsync(sandbox, $"/api/orders/{order.Id}/cancel?shopId=actcancel", new { reason = "out_of_stock" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(("cancel", "queued"), (started.GetProperty("action").GetString(), started.GetProperty("status").GetString()));
        // Pressed again before the first is done: the same message, dropped as a duplicate.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(sandbox, $"/api/orders/{order.Id}/cancel?shopId=actcancel", new { reason = "out_of_stock" })).Status);
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("actcancel");

        var cancelled = sandbox.TikTok.GetOrder(order.Id);
        Assert.Equal(("CANCELLED", "SELLER"), (cancelled.Status, cancelled.CancellationInitiator));
        Assert.Equal(1, CancelCalls(sandbox));
        Assert.Equal("seller_cancel_reason_out_of_stock",
            JsonDocument.Parse(Assert.Single(sandbox.TikTok.Requests, r => r.Path == "/return_refund/202309/cancellations").Body).RootElement.GetProperty("cancel_reason").GetString());
        Assert.NotNull(Assert.Single(store.Orders).CancelledAt);
        Assert.Equal(50, store.InventoryOf("MUG-1")); // returned once
        var view = await sandbox.GetOrderAsync("actcancel", order.Id);
        Assert.Equal("CANCELLED", view.GetProperty("status").GetString());
        Assert.True(Timeline(view, "Cancelled from the order page: cancellation sent to TikTok (seller_cancel_reason_out_of_stock"));
        Assert.Equal(1, view.GetProperty("activity").EnumerateArray().Count(a => a.GetProperty("message").GetString()!.Contains("stock returned", StringComparison.Ordinal)));

        // A press after it went: nothing is sent again.
        var (again, answer) = await PostAsync(sandbox, $"/api/orders/{order.Id}/cancel?shopId=actcancel", new { reason = "wrong_price" });
        Assert.Equal((HttpStatusCode.Accepted, "sent"), (again, answer.GetProperty("status").GetString()));
        await sandbox.SettleAsync();
        Assert.Equal(1, CancelCalls(sandbox));
        Assert.Equal(50, store.InventoryOf("MUG-1"));
    }

    [Fact]
    public async Task Cancelling_after_shipping_is_refused_with_a_plain_reason_and_nothing_is_sent()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actshipped");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actshipped", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("actshipped");
        sandbox.EnableWebhooks();
        sandbox.TikTok.AdvanceTo(order.Id, "IN_TRANSIT");
        await sandbox.SettleAsync();

        var reasons = await GetJsonAsync(sandbox, $"/api/orders/{order.Id}/cancel-reasons?shopId=actshipped");
        Assert.Empty(reasons.GetProperty("reasons").EnumerateArray());
        Assert.Contains("only lets a seller cancel before shipping", reasons.GetProperty("refusal").GetString(), StringComparison.Ordinal);
        var (status, problem) = await PostAsync(sandbox, $"/api/orders/{order.Id}/cancel?shopId=actshipped", new { reason = "out_of_stock" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("In Transit: TikTok only lets a seller cancel before shipping", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await sandbox.SettleAsync();
        Assert.Equal(0, CancelCalls(sandbox));
    }

    [Fact]
    public async Task A_cancel_reason_that_is_not_a_sellers_reason_is_a_400_naming_the_field()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actreason");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actreason", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("actreason");

        var (status, problem) = await PostAsync(sandbox, $"/api/orders/{order.Id}/cancel?shopId=actreason", new { reason = "seller_cancel_reason_out_of_stock" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        var (missing, _) = await PostAsync(sandbox, $"/api/orders/{order.Id}/cancel?shopId=actreason", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        await sandbox.SettleAsync();
        Assert.Equal(0, CancelCalls(sandbox));
        Assert.Equal("AWAITING_SHIPMENT", sandbox.TikTok.GetOrder(order.Id).Status);
    }

    [Fact]
    public async Task A_buyer_cancellation_request_shows_in_its_own_tab_with_the_reason_and_deadline()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actrequest");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actrequest", TestOrders.Spec(("MUG-1", 1, 9m)));
        var other = sandbox.TikTok.CreateOrder("actrequest", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("actrequest");
        sandbox.EnableWebhooks();

        var cancelId = sandbox.TikTok.RequestBuyerCancellation(order.Id, "ecom_order_to_ship_canceled_reason_no_longer_needed");
        await sandbox.SettleAsync();

        var view = await sandbox.GetOrderAsync("actrequest", order.Id);
        Assert.Equal(("CANCELLATION_REQUESTED", "Cancellation requested"), (view.GetProperty("status").GetString(), view.GetProperty("statusLabel").GetString()));
        var request = view.GetProperty("cancellationRequest");
        Assert.Equal((cancelId, "CANCELLATION_REQUEST_PENDING", true),
            (request.GetProperty("cancelId").GetString(), request.GetProperty("status").GetString(), request.GetProperty("pending").GetBoolean()));
        Assert.Equal(sandbox.TikTok.GetCancellation(cancelId).ReasonText, request.GetProperty("reason").GetString());
        Assert.True(request.GetProperty("deadline").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
        Assert.True(Timeline(view, "Buyer asked to cancel"));
        Assert.Equal([order.Id], await TabAsync(sandbox, "actrequest", "CANCELLATION_REQUESTED"));
        Assert.Equal([other.Id], await TabAsync(sandbox, "actrequest", "AWAITING_SHIPMENT"));
        // Counts come from the index pointers; a pointer left by a writer that lost a race is dropped by the listing above.
        var summary = await GetJsonAsync(sandbox, "/api/orders/summary?shopId=actrequest");
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("CANCELLATION_REQUESTED").GetInt32());
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("AWAITING_SHIPMENT").GetInt32());
        Assert.Single(store.Orders, o => o.CancelledAt is null && o.Id == store.Orders[0].Id);
    }

    [Fact]
    public async Task A_buyer_request_whose_webhook_was_lost_is_found_by_the_next_fetch()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actlost");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actlost", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("actlost");

        var cancelId = sandbox.TikTok.RequestBuyerCancellation(order.Id); // no webhook URL: lost
        await sandbox.FetchAndWaitAsync("actlost");

        var view = await sandbox.GetOrderAsync("actlost", order.Id);
        Assert.Equal("CANCELLATION_REQUESTED", view.GetProperty("status").GetString());
        Assert.Equal(cancelId, view.GetProperty("cancellationRequest").GetProperty("cancelId").GetString());
    }

    [Fact]
    public async Task Approving_a_buyer_request_cancels_the_store_order_once_however_often_it_is_pressed()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actapprove");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actapprove", TestOrders.Spec(("MUG-1", 3, 9m)));
        await sandbox.FetchAndWaitAsync("actapprove");
        sandbox.EnableWebhooks();
        var cancelId = sandbox.TikTok.RequestBuyerCancellation(order.Id);
        await sandbox.SettleAsync();

        var path = $"/api/orders/{order.Id}/cancellation/approve?shopId=actapprove";
        var (first, started) = await PostAsync(sandbox, path, new { cancelId });
        Assert.Equal((HttpStatusCode.Accepted, "approve-cancellation"), (first, started.GetProperty("action").GetString()));
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(sandbox, path, new { cancelId })).Status);
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("actapprove");

        Assert.Equal("CANCELLATION_REQUEST_SUCCESS", sandbox.TikTok.GetCancellation(cancelId).Status);
        Assert.Equal(("CANCELLED", "BUYER"), (sandbox.TikTok.GetOrder(order.Id).Status, sandbox.TikTok.GetOrder(order.Id).CancellationInitiator));
        Assert.Equal(1, Calls(sandbox, "POST", $"/return_refund/202309/cancellations/{cancelId}/approve"));
        Assert.NotNull(Assert.Single(store.Orders).CancelledAt);
        Assert.Equal(50, store.InventoryOf("MUG-1"));
        Assert.Equal(0, CancelCalls(sandbox)); // the store cancellation is TikTok's, never sent back
        var view = await sandbox.GetOrderAsync("actapprove", order.Id);
        Assert.Equal("CANCELLED", view.GetProperty("status").GetString());
        Assert.True(Timeline(view, "Buyer's cancellation request approved"));

        // Answered now: a late press says so and sends nothing; rejecting it now is refused.
        var (late, answer) = await PostAsync(sandbox, path, new { cancelId });
        Assert.Equal((HttpStatusCode.Accepted, "done"), (late, answer.GetProperty("status").GetString()));
        var (reject, _) = await PostAsync(sandbox, $"/api/orders/{order.Id}/cancellation/reject?shopId=actapprove",
            new { cancelId, reason = "ecom_reverse_reject_cancel_reason_product_packed" });
        Assert.Equal(HttpStatusCode.Conflict, reject);
        await sandbox.SettleAsync();
        Assert.Equal(1, Calls(sandbox, "POST", $"/return_refund/202309/cancellations/{cancelId}/approve"));
    }

    [Fact]
    public async Task Rejecting_a_buyer_request_takes_only_tiktoks_reasons_and_the_order_goes_on()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actreject");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actreject", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("actreject");
        sandbox.EnableWebhooks();
        var cancelId = sandbox.TikTok.RequestBuyerCancellation(order.Id);
        await sandbox.SettleAsync();

        var path = $"/api/orders/{order.Id}/cancellation/reject?shopId=actreject";
        var (bad, problem) = await PostAsync(sandbox, path, new { cancelId, reason = "because" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        var reasons = await GetJsonAsync(sandbox, $"/api/orders/{order.Id}/cancellation/reject-reasons?shopId=actreject");
        var reason = reasons.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("reason").GetString()!)
            .Single(r => r == "ecom_reverse_reject_cancel_reason_product_packed");

        var (status, _) = await PostAsync(sandbox, path, new { cancelId, reason, comment = "Already packed, sorry." });
        Assert.Equal(HttpStatusCode.Accepted, status);
        await sandbox.SettleAsync();

        Assert.Equal("CANCELLATION_REQUEST_CANCEL", sandbox.TikTok.GetCancellation(cancelId).Status);
        Assert.Equal("AWAITING_SHIPMENT", sandbox.TikTok.GetOrder(order.Id).Status);
        Assert.Null(Assert.Single(store.Orders).CancelledAt);
        var view = await sandbox.GetOrderAsync("actreject", order.Id);
        Assert.Equal("AWAITING_SHIPMENT", view.GetProperty("status").GetString());
        Assert.False(view.GetProperty("cancellationRequest").GetProperty("pending").GetBoolean());
        Assert.True(Timeline(view, "rejected with reason ecom_reverse_reject_cancel_reason_product_packed"));
        Assert.Equal([order.Id], await TabAsync(sandbox, "actreject", "AWAITING_SHIPMENT"));
        Assert.Empty(await TabAsync(sandbox, "actreject", "CANCELLATION_REQUESTED"));
    }

    [Fact]
    public async Task Tiktok_shows_the_store_order_number_once_after_the_import()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actref");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actref", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("actref");
        sandbox.EnableWebhooks();
        sandbox.TikTok.AdvanceTo(order.Id, "IN_TRANSIT");
        await sandbox.SettleAsync();
        await sandbox.FetchAndWaitAsync("actref");

        var view = await sandbox.GetOrderAsync("actref", order.Id);
        var storeOrderName = view.GetProperty("storeOrderName").GetString();
        Assert.Equal(Assert.Single(store.Orders).Name, storeOrderName);
        var reference = Assert.Single(sandbox.TikTok.GetExternalOrders(order.Id));
        Assert.Equal(("SHOPIFY", storeOrderName), (reference.Key, reference.Value.Id));
        Assert.Equal(storeOrderName, view.GetProperty("externalReference").GetString());
        Assert.Equal(1, Calls(sandbox, "POST", "/order/202406/orders/external_orders"));
        Assert.True(Timeline(view, $"TikTok now shows Shopify order {storeOrderName} on order {order.Id}."));
    }

    [Fact]
    public async Task An_etsy_order_has_no_store_order_number_to_show_on_tiktok()
    {
        await using var sandbox = await StartAsync();
        var (_, etsy) = await sandbox.ConnectEtsyAsync("actetsy");
        etsy.AddListing("Mug", ("MUG-1", 12m, 10, null));
        var order = sandbox.TikTok.CreateOrder("actetsy", TestOrders.Spec(("MUG-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("actetsy");

        var view = await sandbox.GetOrderAsync("actetsy", order.Id);
        Assert.Equal("Imported", view.GetProperty("importState").GetString());
        Assert.Empty(sandbox.TikTok.GetExternalOrders(order.Id));
        Assert.Equal(0, Calls(sandbox, "POST", "/order/202406/orders/external_orders"));
    }

    [Fact]
    public async Task Selected_orders_are_cancelled_together_and_those_already_shipped_are_named_with_why_not()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actbulk");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var first = sandbox.TikTok.CreateOrder("actbulk", TestOrders.Spec(("MUG-1", 1, 9m)));
        var second = sandbox.TikTok.CreateOrder("actbulk", TestOrders.Spec(("MUG-1", 2, 9m)));
        var shipped = sandbox.TikTok.CreateOrder("actbulk", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("actbulk");
        sandbox.EnableWebhooks();
        sandbox.TikTok.AdvanceTo(shipped.Id, "IN_TRANSIT");
        await sandbox.SettleAsync();

        var (status, started) = await PostAsync(sandbox, "/api/orders/cancel?shopId=actbulk",
            new { orderIds = new[] { first.Id, second.Id, shipped.Id }, reason = "buyer_requested_cancellation" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([first.Id, second.Id], started.GetProperty("queued").EnumerateArray().Select(e => e.GetString()!));
        var refused = Assert.Single(started.GetProperty("refused").EnumerateArray());
        Assert.Equal(shipped.Id, refused.GetProperty("orderId").GetString());
        Assert.Contains("only lets a seller cancel before shipping", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await sandbox.SettleAsync();

        Assert.Equal(["CANCELLED", "CANCELLED", "IN_TRANSIT"], new[] { first, second, shipped }.Select(o => sandbox.TikTok.GetOrder(o.Id).Status));
        Assert.Equal(2, CancelCalls(sandbox));
        Assert.Equal(2, store.Orders.Count(o => o.CancelledAt is not null));
        Assert.Equal(49, store.InventoryOf("MUG-1"));

        var (none, _) = await PostAsync(sandbox, "/api/orders/cancel?shopId=actbulk", new { orderIds = new[] { shipped.Id }, reason = "out_of_stock" });
        Assert.Equal(HttpStatusCode.Conflict, none);
        var (bad, problem) = await PostAsync(sandbox, "/api/orders/cancel?shopId=actbulk", new { orderIds = new[] { "x1" }, reason = "out_of_stock" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.True(problem.GetProperty("errors").TryGetProperty("orderIds", out _));
    }

    [Fact]
    public async Task A_return_request_and_each_of_its_steps_show_on_the_order_and_its_timeline()
    {
        // The seller's answer window is short here, so TikTok approves the return by itself within the test.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            Output = output,
            ConfigureTikTok = o => o.ReturnResponseWindow = TimeSpan.FromSeconds(6),
        });
        var (_, store) = await sandbox.ConnectShopAsync("actreturn");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actreturn", TestOrders.Spec(("MUG-1", 2, 9m)));
        await sandbox.FetchAndWaitAsync("actreturn");
        sandbox.EnableWebhooks();
        sandbox.TikTok.AdvanceTo(order.Id, "DELIVERED");
        await sandbox.SettleAsync();

        var returned = sandbox.TikTok.CreateReturn(order.Id, new SimReturnSpec { ReasonText = "Arrived broken" });
        await sandbox.SettleAsync();

        var view = await sandbox.GetOrderAsync("actreturn", order.Id);
        var summary = view.GetProperty("return");
        Assert.Equal((returned.ReturnId, "RETURN_OR_REFUND_REQUEST_PENDING", "Arrived broken"),
            (summary.GetProperty("returnId").GetString(), summary.GetProperty("status").GetString(), summary.GetProperty("reason").GetString()));
        Assert.Equal(["MUG-1", "MUG-1"], summary.GetProperty("skus").EnumerateArray().Select(e => e.GetString()!));
        Assert.True(summary.TryGetProperty("deadline", out _));
        Assert.True(Timeline(view, $"Return request {returned.ReturnId} of order {order.Id} for MUG-1, MUG-1"));

        // TikTok approves it when the seller does not answer, the buyer ships it back; those webhooks are lost: the next fetch
        // run reads the shop's open returns.
        sandbox.TikTok.SetWebhookUrl(null);
        for (var i = 0; i < 120 && sandbox.TikTok.GetReturn(returned.ReturnId).Status == "RETURN_OR_REFUND_REQUEST_PENDING"; i++)
        {
            await Task.Delay(250);
            sandbox.TikTok.ApplyDeadlines();
        }

        Assert.Equal("AWAITING_BUYER_SHIP", sandbox.TikTok.GetReturn(returned.ReturnId).Status);
        sandbox.TikTok.ShipReturn(returned.ReturnId, "RET123456789", "UPS");
        Assert.Equal("BUYER_SHIPPED_ITEM", sandbox.TikTok.GetReturn(returned.ReturnId).Status);
        await sandbox.FetchAndWaitAsync("actreturn");
        var shipped = await sandbox.GetOrderAsync("actreturn", order.Id);
        Assert.Equal("BUYER_SHIPPED_ITEM", shipped.GetProperty("return").GetProperty("status").GetString());
        Assert.Equal("RET123456789", shipped.GetProperty("return").GetProperty("returnTrackingNumber").GetString());
        Assert.True(Timeline(shipped, "Buyer shipped the item"));
    }

    [Fact]
    public async Task A_return_is_approved_then_the_received_package_rejected_with_tiktoks_reason_each_once()
    {
        await using var sandbox = await StartAsync();
        var (_, store) = await sandbox.ConnectShopAsync("actretans");
        store.AddProduct("Mug", ("MUG-1", 9m, 50));
        var order = sandbox.TikTok.CreateOrder("actretans", TestOrders.Spec(("MUG-1", 1, 9m)));
        await sandbox.FetchAndWaitAsync("actretans");
        sandbox.EnableWebhooks();
        sandbox.TikTok.AdvanceTo(order.Id, "DELIVERED");
        var returned = sandbox.TikTok.CreateReturn(order.Id, new SimReturnSpec());
        await sandbox.SettleAsync();

        var approve = $"/api/orders/{order.Id}/return/approve?shopId=actretans";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(sandbox, approve, new { returnId = returned.ReturnId })).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(sandbox, approve, new { returnId = returned.ReturnId })).Status);
        await sandbox.SettleAsync();
        Assert.Equal("AWAITING_BUYER_SHIP", sandbox.TikTok.GetReturn(returned.ReturnId).Status);
        Assert.Equal(1, Calls(sandbox, "POST", $"/return_refund/202309/returns/{returned.ReturnId}/approve"));
        // Pressed again once TikTok has moved on (the second press above may already meet this): done, nothing sent again.
        var (again, answer) = await PostAsync(sandbox, approve, new { returnId = returned.ReturnId });
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal("done", answer.GetProperty("status").GetString());
        Assert.Contains("Awaiting buyer shipment", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (early, problem) = await PostAsync(sandbox, $"/api/orders/{order.Id}/return/reject?shopId=actretans", new { returnId = returned.ReturnId, reason = "seller_reject_apply_product_has_been_used" });
        Assert.Equal(HttpStatusCode.Conflict, early); // nothing to reject until the buyer has shipped it
        Assert.Contains("Awaiting buyer shipment", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Calls(sandbox, "POST", $"/return_refund/202309/returns/{returned.ReturnId}/approve"));

        sandbox.TikTok.ShipReturn(returned.ReturnId, "RET555", "UPS");
        await sandbox.SettleAsync();
        var reject = $"/api/orders/{order.Id}/return/reject?shopId=actretans";
        var (bad, _) = await PostAsync(sandbox, reject, new { returnId = returned.ReturnId, reason = "not_a_reason" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        var reasons = await GetJsonAsync(sandbox, $"/api/orders/{order.Id}/return/reject-reasons?shopId=actretans");
        var reason = reasons.GetProperty("reasons").EnumerateArray().First().GetProperty("reason").GetString();
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(sandbox, reject, new { returnId = returned.ReturnId, reason })).Status);
        await sandbox.SettleAsync();

        Assert.Equal("REJECT_RECEIVE_PACKAGE", sandbox.TikTok.GetReturn(returned.ReturnId).Status);
        var view = await sandbox.GetOrderAsync("actretans", order.Id);
        Assert.Equal("REJECT_RECEIVE_PACKAGE", view.GetProperty("return").GetProperty("status").GetString());
        Assert.True(Timeline(view, "APPROVE_RETURN sent to TikTok"));
        Assert.True(Timeline(view, $"REJECT_RECEIVED_PACKAGE sent to TikTok with reason {reason}"));
        Assert.True(Timeline(view, "Received package rejected"));
    }
}
