using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// Returns and refunds (return_refund.json SearchReturns, GetReturnRecords, ApproveReturn, RejectReturn, GetRejectReasons;
/// status and decision enums from the OAS) and RETURN_STATUS_CHANGE (§7.3 type 12).
/// </summary>
public sealed class ReturnTests
{
    private const string Search = "/return_refund/202309/returns/search";

    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static Task<ShopApi> StartAsync(TimeProvider? time = null, Uri? webhookUrl = null, bool reverse = false) =>
        ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 22, AccessTokenLifetime = TimeSpan.FromDays(30), TimeProvider = time ?? TimeProvider.System, WebhookUrl = webhookUrl, SendReverseStatusUpdates = reverse });

    private static SimOrder Delivered(ShopApi api, int quantity = 2) =>
        api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Status = "DELIVERED", Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 12.5m, Quantity = quantity }] });

    private static async Task<JsonElement> Find(ShopApi api, string returnId)
    {
        var search = await api.PostAsync(Search, $$"""{"return_ids":["{{returnId}}"]}""");
        Assert.Equal(0, search.Code);
        return Assert.Single(search.Data.GetProperty("return_orders").EnumerateArray().ToList());
    }

    private static Task<ApiResponse> Approve(ShopApi api, string returnId, string body) =>
        api.PostAsync($"/return_refund/202309/returns/{returnId}/approve", body);

    private static Task<ApiResponse> Reject(ShopApi api, string returnId, string body) =>
        api.PostAsync($"/return_refund/202309/returns/{returnId}/reject", body);

    [Fact]
    public async Task A_return_and_refund_walks_pending_awaiting_ship_shipped_success_complete_with_webhooks_and_records()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var time = new FakeTimeProvider(Start);
        await using var api = await StartAsync(time, receiver.Url);
        var order = Delivered(api);
        var line = order.LineItems[0];

        var created = api.Sim.CreateReturn(order.Id, new SimReturnSpec { LineItemIds = [line.Id] });
        var pending = await Find(api, created.ReturnId);
        var wrongDecision = await Approve(api, created.ReturnId, """{"decision":"APPROVE_REFUND"}""");
        var approved = await Approve(api, created.ReturnId, """{"decision":"APPROVE_RETURN"}""");
        var awaiting = await Find(api, created.ReturnId);
        api.Sim.ShipReturn(created.ReturnId, "9400111202555842761023");
        var shipped = await Find(api, created.ReturnId);
        var received = await Approve(api, created.ReturnId, """{"decision":"APPROVE_RECEIVED_PACKAGE"}""");
        api.Sim.CompleteRefund(created.ReturnId);
        var complete = await Find(api, created.ReturnId);
        var records = await api.GetAsync($"/return_refund/202309/returns/{created.ReturnId}/records");
        await api.Sim.WaitForWebhooksIdleAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("RETURN_OR_REFUND_REQUEST_PENDING", pending.GetProperty("return_status").GetString());
        Assert.Equal("RETURN_AND_REFUND", pending.GetProperty("return_type").GetString());
        Assert.Equal("Wrong item", pending.GetProperty("return_reason_text").GetString());
        var next = Assert.Single(pending.GetProperty("seller_next_action_response").EnumerateArray().ToList());
        Assert.Equal(("SELLER_RESPOND_RETURN", Start.ToUnixTimeSeconds() + (48 * 3600)), (next.GetProperty("action").GetString(), next.GetProperty("deadline").GetInt64()));
        var returnLine = Assert.Single(pending.GetProperty("return_line_items").EnumerateArray().ToList());
        Assert.Equal((line.Id, "MUG"), (returnLine.GetProperty("order_line_item_id").GetString(), returnLine.GetProperty("seller_sku").GetString()));
        Assert.Equal("12.5", pending.GetProperty("refund_amount").GetProperty("refund_subtotal").GetString());
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, wrongDecision.Code);
        Assert.Equal(0, approved.Code);
        Assert.Equal("AWAITING_BUYER_SHIP", awaiting.GetProperty("return_status").GetString());
        Assert.Equal("BUYER_SHIPPED_ITEM", shipped.GetProperty("return_status").GetString());
        Assert.Equal("9400111202555842761023", shipped.GetProperty("return_tracking_number").GetString());
        Assert.Equal("SELLER_RESPOND_RECEIVE_PACKAGE", shipped.GetProperty("seller_next_action_response")[0].GetProperty("action").GetString());
        Assert.Equal(0, received.Code);
        Assert.Equal("RETURN_OR_REFUND_REQUEST_COMPLETE", complete.GetProperty("return_status").GetString());
        Assert.Equal(5, records.Data.GetProperty("records").GetArrayLength());
        Assert.All(records.Data.GetProperty("records").EnumerateArray(), r => Assert.Equal("ORDER_RETURN", r.GetProperty("event").GetString()));
        var hooks = receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).Where(h => h.GetProperty("type").GetInt32() == 12).ToList();
        Assert.Equal(
            ["RETURN_OR_REFUND_REQUEST_PENDING", "AWAITING_BUYER_SHIP", "BUYER_SHIPPED_ITEM", "RETURN_OR_REFUND_REQUEST_SUCCESS", "RETURN_OR_REFUND_REQUEST_COMPLETE"],
            hooks.OrderBy(h => h.GetProperty("data").GetProperty("update_time").GetInt64()).Select(h => h.GetProperty("data").GetProperty("return_status").GetString()));
        var data = hooks[0].GetProperty("data");
        Assert.Equal(
            ["order_id", "return_role", "return_type", "return_status", "return_id", "create_time", "update_time"],
            data.EnumerateObject().Select(p => p.Name));
        Assert.Equal((order.Id, created.ReturnId, "BUYER"), (data.GetProperty("order_id").GetString(), data.GetProperty("return_id").GetString(), data.GetProperty("return_role").GetString()));
    }

    [Fact]
    public async Task A_refund_only_request_is_approved_with_APPROVE_REFUND_and_a_second_approval_is_refused()
    {
        await using var api = await StartAsync();
        var order = Delivered(api, 1);
        var r = api.Sim.CreateReturn(order.Id, new SimReturnSpec { ReturnType = "REFUND", RefundShipping = true });

        var missing = await Approve(api, r.ReturnId, "{}");
        var invalid = await Approve(api, r.ReturnId, """{"decision":"APPROVE"}""");
        var approved = await Approve(api, r.ReturnId, """{"decision":"APPROVE_REFUND"}""");
        var again = await Approve(api, r.ReturnId, """{"decision":"APPROVE_REFUND"}""");
        var found = await Find(api, r.ReturnId);

        Assert.Equal((36009004, "param body.decision is missing"), (missing.Code, missing.Message));
        Assert.Equal(36009004, invalid.Code);
        Assert.Equal(0, approved.Code);
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, again.Code);
        Assert.Equal("RETURN_OR_REFUND_REQUEST_SUCCESS", found.GetProperty("return_status").GetString());
        Assert.Equal((order.LineItems[0].SalePrice + order.LineItems[0].TaxAmount + order.Payment.ShippingFee).ToString("0.############", System.Globalization.CultureInfo.InvariantCulture),
            found.GetProperty("refund_amount").GetProperty("refund_total").GetString());
    }

    [Fact]
    public async Task Reject_needs_the_decision_of_the_step_and_a_reason_GetRejectReasons_lists_for_it()
    {
        // return_refund.json RejectReturn decision: REJECT_REFUND, REJECT_RETURN, REJECT_RECEIVED_PACKAGE, REJECT_REPLACEMENT;
        // reject_reason: "Please use the Get Reject Reasons endpoint"; GetRejectReasons: "The seller is required to provide a reason".
        await using var api = await StartAsync();
        var order = Delivered(api);
        var request = api.Sim.CreateReturn(order.Id, new SimReturnSpec { LineItemIds = [order.LineItems[0].Id] });
        var package = api.Sim.CreateReturn(order.Id, new SimReturnSpec { LineItemIds = [order.LineItems[1].Id] });
        Assert.Equal(0, (await Approve(api, package.ReturnId, """{"decision":"APPROVE_RETURN"}""")).Code);
        api.Sim.ShipReturn(package.ReturnId);

        var requestReasons = await api.GetAsync("/return_refund/202309/reject_reasons", ("return_or_cancel_id", request.ReturnId));
        var packageReasons = await api.GetAsync("/return_refund/202309/reject_reasons", ("return_or_cancel_id", package.ReturnId));
        var requestReason = requestReasons.Data.GetProperty("reasons")[0].GetProperty("name").GetString();
        var packageReason = packageReasons.Data.GetProperty("reasons")[0].GetProperty("name").GetString();
        var noReason = await Reject(api, request.ReturnId, """{"decision":"REJECT_RETURN"}""");
        var wrongStepReason = await Reject(api, request.ReturnId, $$"""{"decision":"REJECT_RETURN","reject_reason":"{{packageReason}}"}""");
        var wrongDecision = await Reject(api, request.ReturnId, $$"""{"decision":"REJECT_RECEIVED_PACKAGE","reject_reason":"{{requestReason}}"}""");
        var rejected = await Reject(api, request.ReturnId, $$"""{"decision":"REJECT_RETURN","reject_reason":"{{requestReason}}","comment":"Used"}""");
        var packageRejected = await Reject(api, package.ReturnId, $$"""{"decision":"REJECT_RECEIVED_PACKAGE","reject_reason":"{{packageReason}}"}""");

        Assert.Equal((36009004, "param body.reject_reason is missing"), (noReason.Code, noReason.Message));
        Assert.Equal((36009004, "param body.reject_reason is invalid"), (wrongStepReason.Code, wrongStepReason.Message));
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, wrongDecision.Code);
        Assert.Equal(0, rejected.Code);
        Assert.Equal(0, packageRejected.Code);
        Assert.Equal("REFUND_OR_RETURN_REQUEST_REJECT", api.Sim.GetReturn(request.ReturnId).Status);
        Assert.Equal("REJECT_RECEIVE_PACKAGE", api.Sim.GetReturn(package.ReturnId).Status);
    }

    [Fact]
    public async Task Deadlines_close_an_unshipped_return_and_approve_an_unanswered_request()
    {
        // return_refund.json AWAITING_BUYER_SHIP: "If the buyer doesn't ship the items to the seller before the deadline, the
        // platform will close the request." Auto-approval of an unanswered request is [INFERENCE] (README).
        var time = new FakeTimeProvider(Start);
        await using var api = await StartAsync(time);
        var order = Delivered(api);
        var unanswered = api.Sim.CreateReturn(order.Id, new SimReturnSpec { ReturnType = "REFUND", LineItemIds = [order.LineItems[0].Id] });
        var unshipped = api.Sim.CreateReturn(order.Id, new SimReturnSpec { LineItemIds = [order.LineItems[1].Id] });
        Assert.Equal(0, (await Approve(api, unshipped.ReturnId, """{"decision":"APPROVE_RETURN"}""")).Code);

        time.Advance(TimeSpan.FromHours(48) + TimeSpan.FromSeconds(1));
        var refunded = await Find(api, unanswered.ReturnId);
        time.Advance(TimeSpan.FromDays(7));
        var closed = await Find(api, unshipped.ReturnId);

        Assert.Equal("RETURN_OR_REFUND_REQUEST_SUCCESS", refunded.GetProperty("return_status").GetString());
        Assert.Equal("RETURN_OR_REFUND_REQUEST_CANCEL", closed.GetProperty("return_status").GetString());
    }

    [Fact]
    public async Task S5_1_returns_need_a_shipped_order_that_is_not_COMPLETED_and_lines_without_an_open_return()
    {
        await using var api = await StartAsync();
        var awaiting = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var completed = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Status = "COMPLETED" });
        var delivered = Delivered(api, 1);
        api.Sim.CreateReturn(delivered.Id, new SimReturnSpec());

        Assert.Throws<InvalidOperationException>(() => api.Sim.CreateReturn(awaiting.Id, new SimReturnSpec()));
        Assert.Throws<InvalidOperationException>(() => api.Sim.CreateReturn(completed.Id, new SimReturnSpec()));
        Assert.Throws<InvalidOperationException>(() => api.Sim.CreateReturn(delivered.Id, new SimReturnSpec()));
        Assert.Throws<ArgumentException>(() => api.Sim.CreateReturn(delivered.Id, new SimReturnSpec { ReturnType = "EXCHANGE" }));
    }

    [Fact]
    public async Task SearchReturns_refuses_params_outside_the_oas()
    {
        // return_refund.json SearchReturns: page_size "Valid range: [10-50]"; return_status and return_types enums.
        await using var api = await StartAsync();

        var tooSmall = await api.PostAsync(Search, "{}", ("page_size", "5"));
        var badStatus = await api.PostAsync(Search, """{"return_status":["PENDING"]}""");
        var badType = await api.PostAsync(Search, """{"return_types":["EXCHANGE"]}""");
        var unknown = await api.GetAsync("/return_refund/202309/returns/4000000000000000009/records");
        var empty = await api.PostAsync(Search, "{}");

        Assert.Equal((36009004, "param page_size is invalid, valid range: [10-50]"), (tooSmall.Code, tooSmall.Message));
        Assert.Equal(36009004, badStatus.Code);
        Assert.Equal(36009004, badType.Code);
        Assert.Equal((36009004, "param return_id is invalid"), (unknown.Code, unknown.Message));
        Assert.Equal(0, empty.Data.GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task S7_3_with_the_knob_a_return_also_sends_REVERSE_STATUS_UPDATE_type_2_with_numeric_enums()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = await StartAsync(webhookUrl: receiver.Url, reverse: true);
        var order = Delivered(api, 1);

        var r = api.Sim.CreateReturn(order.Id, new SimReturnSpec { ReturnType = "REFUND" });
        await api.Sim.WaitForWebhooksIdleAsync(TimeSpan.FromSeconds(10));

        var reverse = receiver.Received.Select(x => JsonDocument.Parse(x.Body).RootElement).Single(h => h.GetProperty("type").GetInt32() == 2).GetProperty("data");
        Assert.Equal(r.ReturnId, reverse.GetProperty("reverse_order_id").GetString());
        Assert.Equal(("ORDER_REFUND", 2, 1), (reverse.GetProperty("reverse_event_type").GetString(), reverse.GetProperty("reverse_type").GetInt32(), reverse.GetProperty("reverse_order_status").GetInt32()));
    }
}
