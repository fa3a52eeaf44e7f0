using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// §6.2 cancellations (return_refund.json SearchCancellations, ApproveCancellation, RejectCancellation, GetRejectReasons,
/// CancelOrder) and the CANCELLATION_STATUS_CHANGE webhook (§7.3 type 11).
/// </summary>
public sealed class CancellationTests
{
    private const string Search = "/return_refund/202309/cancellations/search";

    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static Task<ShopApi> StartAsync(TimeProvider? time = null, Uri? webhookUrl = null) =>
        ShopApi.StartAsync(new TikTokSimulatorOptions { Seed = 21, TimeProvider = time ?? TimeProvider.System, WebhookUrl = webhookUrl });

    private static JsonElement Only(ApiResponse search)
    {
        Assert.Equal(0, search.Code);
        return Assert.Single(search.Data.GetProperty("cancellations").EnumerateArray().ToList());
    }

    [Fact]
    public async Task S6_2_a_buyer_request_is_pending_with_reason_lines_refund_and_a_24_hour_seller_deadline()
    {
        var time = new FakeTimeProvider(Start);
        await using var api = await StartAsync(time);
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "MUG", SalePrice = 10m, Quantity = 2 }] });

        var cancelId = api.Sim.RequestBuyerCancellation(order.Id, "ecom_order_to_ship_canceled_reason_better_price");
        var found = Only(await api.PostAsync(Search, $$"""{"order_ids":["{{order.Id}}"]}"""));

        Assert.Equal(cancelId, found.GetProperty("cancel_id").GetString());
        Assert.Equal("CANCELLATION_REQUEST_PENDING", found.GetProperty("cancel_status").GetString());
        Assert.Equal("BUYER_CANCEL", found.GetProperty("cancel_type").GetString());
        Assert.Equal("BUYER", found.GetProperty("role").GetString());
        Assert.Equal("ecom_order_to_ship_canceled_reason_better_price", found.GetProperty("cancel_reason").GetString());
        Assert.Equal("Found a better price", found.GetProperty("cancel_reason_text").GetString());
        var next = Assert.Single(found.GetProperty("seller_next_action_response").EnumerateArray().ToList());
        Assert.Equal("SELLER_RESPOND_CANCEL", next.GetProperty("action").GetString());
        Assert.Equal(Start.ToUnixTimeSeconds() + (24 * 3600), next.GetProperty("deadline").GetInt64());
        Assert.Equal(2, found.GetProperty("cancel_line_items").GetArrayLength());
        Assert.Equal("20", found.GetProperty("refund_amount").GetProperty("refund_subtotal").GetString());
        Assert.True(api.Sim.GetOrder(order.Id).IsBuyerRequestCancel);
    }

    [Fact]
    public async Task S6_2_approving_cancels_the_order_and_a_second_approval_is_refused_unless_it_repeats_the_idempotency_key()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = await StartAsync(webhookUrl: receiver.Url);
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var cancelId = api.Sim.RequestBuyerCancellation(order.Id);
        var path = $"/return_refund/202309/cancellations/{cancelId}/approve";

        var approve = await api.PostAsync(path, "", ("idempotency_key", "k-1"));
        var replay = await api.PostAsync(path, "", ("idempotency_key", "k-1"));
        var again = await api.PostAsync(path, "", ("idempotency_key", "k-2"));
        await api.Sim.WaitForWebhooksIdleAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, approve.Code);
        Assert.Equal(0, replay.Code);
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, again.Code);
        Assert.Equal("CANCELLED", api.Sim.GetOrder(order.Id).Status);
        Assert.Equal("CANCELLATION_REQUEST_SUCCESS", api.Sim.GetCancellation(cancelId).Status);
        var types = receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        var statuses = types.Where(t => t.GetProperty("type").GetInt32() == 11).Select(t => t.GetProperty("data").GetProperty("cancel_status").GetString());
        Assert.Equal(["CANCELLATION_REQUEST_PENDING", "CANCELLATION_REQUEST_SUCCESS"], statuses);
        var data = types.First(t => t.GetProperty("type").GetInt32() == 11).GetProperty("data");
        Assert.Equal(["order_id", "cancellations_role", "cancel_status", "cancel_id", "create_time"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal((order.Id, cancelId, "BUYER"), (data.GetProperty("order_id").GetString(), data.GetProperty("cancel_id").GetString(), data.GetProperty("cancellations_role").GetString()));
        Assert.Contains(types, t => t.GetProperty("type").GetInt32() == 1 && t.GetProperty("data").GetProperty("order_status").GetString() == "CANCEL");
    }

    [Fact]
    public async Task S6_2_reject_takes_a_reason_from_GetRejectReasons_and_refuses_any_other()
    {
        await using var api = await StartAsync();
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var cancelId = api.Sim.RequestBuyerCancellation(order.Id);
        var path = $"/return_refund/202309/cancellations/{cancelId}/reject";

        var reasons = await api.GetAsync("/return_refund/202309/reject_reasons", ("return_or_cancel_id", cancelId));
        var names = reasons.Data.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        var missing = await api.PostAsync(path, """{"comment":"packed"}""");
        var foreign = await api.PostAsync(path, """{"reject_reason":"seller_reject_apply_product_has_been_packed"}""");
        var wrongType = await api.PostAsync(path, """{"reject_reason":7}""");
        var rejected = await api.PostAsync(path, """{"reject_reason":"ecom_reverse_reject_cancel_reason_product_packed","comment":"Already packed"}""");
        var twice = await api.PostAsync(path, """{"reject_reason":"ecom_reverse_reject_cancel_reason_product_packed"}""");

        Assert.Contains("ecom_reverse_reject_cancel_reason_product_packed", names);
        Assert.DoesNotContain("seller_reject_apply_product_has_been_packed", names);
        Assert.Equal((36009004, "param body.reject_reason is missing"), (missing.Code, missing.Message));
        Assert.Equal((36009004, "param body.reject_reason is invalid"), (foreign.Code, foreign.Message));
        Assert.Equal(36009004, wrongType.Code);
        Assert.Equal(0, rejected.Code);
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, twice.Code);
        var c = api.Sim.GetCancellation(cancelId);
        Assert.Equal(("CANCELLATION_REQUEST_CANCEL", "ecom_reverse_reject_cancel_reason_product_packed"), (c.Status, c.RejectReason));
        Assert.Equal("AWAITING_SHIPMENT", api.Sim.GetOrder(order.Id).Status);
        Assert.False(api.Sim.GetOrder(order.Id).IsBuyerRequestCancel);
    }

    [Fact]
    public async Task S6_2_an_unanswered_request_is_approved_automatically_once_the_deadline_has_passed()
    {
        var time = new FakeTimeProvider(Start);
        await using var api = await StartAsync(time);
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var cancelId = api.Sim.RequestBuyerCancellation(order.Id);

        time.Advance(TimeSpan.FromHours(24));
        var atDeadline = Only(await api.PostAsync(Search, "{}"));
        time.Advance(TimeSpan.FromSeconds(1));
        var after = Only(await api.PostAsync(Search, "{}"));
        var approve = await api.PostAsync($"/return_refund/202309/cancellations/{cancelId}/approve", "");

        Assert.Equal("CANCELLATION_REQUEST_PENDING", atDeadline.GetProperty("cancel_status").GetString());
        Assert.Equal("CANCELLATION_REQUEST_SUCCESS", after.GetProperty("cancel_status").GetString());
        Assert.False(after.TryGetProperty("seller_next_action_response", out _));
        Assert.Equal("CANCELLED", api.Sim.GetOrder(order.Id).Status);
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, approve.Code);
    }

    [Fact]
    public async Task S5_1_an_ON_HOLD_buyer_cancels_without_the_seller_and_a_shipped_order_takes_no_buyer_cancellation()
    {
        await using var api = await StartAsync();
        var onHold = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Status = "ON_HOLD" });
        var inTransit = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Status = "IN_TRANSIT" });

        var cancelId = api.Sim.RequestBuyerCancellation(onHold.Id);

        Assert.Equal("CANCELLATION_REQUEST_SUCCESS", api.Sim.GetCancellation(cancelId).Status);
        Assert.Equal(("CANCELLED", "BUYER"), (api.Sim.GetOrder(onHold.Id).Status, api.Sim.GetOrder(onHold.Id).CancellationInitiator));
        Assert.Throws<InvalidOperationException>(() => api.Sim.RequestBuyerCancellation(inTransit.Id));
        Assert.Throws<ArgumentException>(() => api.Sim.RequestBuyerCancellation(api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec()).Id, "not_a_reason"));
    }

    [Fact]
    public async Task S6_2_seller_CancelOrder_after_shipping_is_refused_with_25001021_and_a_valid_one_is_listed_as_a_SELLER_CANCEL()
    {
        await using var api = await StartAsync();
        var shipped = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Status = "AWAITING_COLLECTION" });
        var open = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());

        var refused = await api.PostAsync("/return_refund/202309/cancellations", $$"""{"order_id":"{{shipped.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock"}""");
        var wrongStatusKey = await api.PostAsync("/return_refund/202309/cancellations", $$"""{"order_id":"{{open.Id}}","cancel_reason":"seller_cancel_unpaid_reason_out_of_stock"}""");
        var cancelled = await api.PostAsync("/return_refund/202309/cancellations", $$"""{"order_id":"{{open.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock"}""");
        var listed = Only(await api.PostAsync(Search, """{"cancel_types":["CANCEL"]}"""));

        Assert.Equal((25001021, "Reason not match order status"), (refused.Code, refused.Message));
        Assert.Equal("AWAITING_COLLECTION", api.Sim.GetOrder(shipped.Id).Status);
        Assert.Equal(25001021, wrongStatusKey.Code);
        Assert.Equal(0, cancelled.Code);
        Assert.Equal(cancelled.Data.GetProperty("cancel_id").GetString(), listed.GetProperty("cancel_id").GetString());
        Assert.Equal(("SELLER", "CANCELLATION_REQUEST_SUCCESS", "seller_cancel_reason_out_of_stock"),
            (listed.GetProperty("role").GetString(), listed.GetProperty("cancel_status").GetString(), listed.GetProperty("cancel_reason").GetString()));
    }

    [Fact]
    public async Task S6_2_CancelOrder_by_skus_cancels_that_many_units_and_refuses_more_than_the_order_has()
    {
        await using var api = await StartAsync();
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec { Lines = [new SimLineSpec { SellerSku = "A", Quantity = 3 }, new SimLineSpec { SellerSku = "B" }] });
        var skuA = order.LineItems[0].SkuId;

        var tooMany = await api.PostAsync("/return_refund/202309/cancellations", $$"""{"order_id":"{{order.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock","skus":[{"sku_id":"{{skuA}}","quantity":4}]}""");
        var zero = await api.PostAsync("/return_refund/202309/cancellations", $$"""{"order_id":"{{order.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock","skus":[{"sku_id":"{{skuA}}","quantity":0}]}""");
        var partial = await api.PostAsync("/return_refund/202309/cancellations", $$"""{"order_id":"{{order.Id}}","cancel_reason":"seller_cancel_reason_out_of_stock","skus":[{"sku_id":"{{skuA}}","quantity":2}]}""");

        Assert.Equal((36009004, "param body.skus is invalid"), (tooMany.Code, tooMany.Message));
        Assert.Equal(36009004, zero.Code);
        Assert.Equal(0, partial.Code);
        var after = api.Sim.GetOrder(order.Id);
        Assert.Equal("AWAITING_SHIPMENT", after.Status);
        Assert.Equal(2, after.LineItems.Count(l => l.CancelUser == "SELLER"));
        var listed = Only(await api.PostAsync(Search, "{}"));
        Assert.Equal(2, listed.GetProperty("cancel_line_items").GetArrayLength());
    }

    [Fact]
    public async Task A_seller_cancelling_an_order_with_a_pending_buyer_request_settles_the_request()
    {
        await using var api = await StartAsync();
        var order = api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec());
        var cancelId = api.Sim.RequestBuyerCancellation(order.Id);

        var cancelled = await api.PostAsync("/return_refund/202309/cancellations", $$"""{"order_id":"{{order.Id}}","cancel_reason":"seller_cancel_paid_reason_buyer_requested_cancellation"}""");
        var approve = await api.PostAsync($"/return_refund/202309/cancellations/{cancelId}/approve", "");

        Assert.Equal(0, cancelled.Code);
        Assert.Equal("CANCELLATION_REQUEST_SUCCESS", api.Sim.GetCancellation(cancelId).Status);
        Assert.Equal(TikTokSimulator.StatusNotAllowedCode, approve.Code);
    }

    [Fact]
    public async Task SearchCancellations_refuses_params_outside_the_oas_and_pages_with_an_opaque_token()
    {
        await using var api = await StartAsync();
        for (var i = 0; i < 3; i++)
        {
            api.Sim.RequestBuyerCancellation(api.Sim.CreateOrder(ShopApi.ShopId, new SimOrderSpec()).Id);
        }

        var tooBig = await api.PostAsync(Search, "{}", ("page_size", "51"));
        var badStatus = await api.PostAsync(Search, """{"cancel_status":["PENDING"]}""");
        var badType = await api.PostAsync(Search, """{"cancel_types":"CANCEL"}""");
        var badTime = await api.PostAsync(Search, """{"create_time_ge":"yesterday"}""");
        var badSort = await api.PostAsync(Search, "{}", ("sort_field", "cancel_id"));
        var first = await api.PostAsync(Search, "{}", ("page_size", "2"));
        var token = first.Data.GetProperty("next_page_token").GetString()!;
        var second = await api.PostAsync(Search, "{}", ("page_size", "2"), ("page_token", token));
        var otherFilter = await api.PostAsync(Search, """{"cancel_types":["BUYER_CANCEL"]}""", ("page_size", "2"), ("page_token", token));

        Assert.Equal((36009004, "param page_size is invalid, valid range: [1-50]"), (tooBig.Code, tooBig.Message));
        Assert.Equal(36009004, badStatus.Code);
        Assert.Equal(36009004, badType.Code);
        Assert.Equal(36009004, badTime.Code);
        Assert.Equal(36009004, badSort.Code);
        Assert.Equal(3, first.Data.GetProperty("total_count").GetInt32());
        Assert.Equal(2, first.Data.GetProperty("cancellations").GetArrayLength());
        Assert.Equal(1, second.Data.GetProperty("cancellations").GetArrayLength());
        Assert.Equal("", second.Data.GetProperty("next_page_token").GetString());
        Assert.Equal((36009004, "param page_token is invalid"), (otherFilter.Code, otherFilter.Message));
    }

    [Fact]
    public async Task Approve_reject_and_reject_reasons_refuse_an_unknown_or_foreign_id_and_pass_the_gateway_checks()
    {
        await using var api = await StartAsync();
        var other = api.Sim.AddShop("7494049642642449999");
        var foreignOrder = api.Sim.CreateOrder(other.ShopId, new SimOrderSpec());
        var foreignCancel = api.Sim.RequestBuyerCancellation(foreignOrder.Id);

        var unknown = await api.PostAsync("/return_refund/202309/cancellations/4000000000000000001/approve", "");
        var foreign = await api.PostAsync($"/return_refund/202309/cancellations/{foreignCancel}/approve", "");
        var reasonsMissing = await api.GetAsync("/return_refund/202309/reject_reasons");
        var longKey = await api.PostAsync($"/return_refund/202309/cancellations/{foreignCancel}/approve", "", ("idempotency_key", new string('k', 256)));
        var badSign = await api.Client.SendAsync(new ApiCall
        {
            Method = HttpMethod.Post,
            Path = $"/return_refund/202309/cancellations/{foreignCancel}/approve",
            Query = [new("shop_cipher", api.Shop.Cipher)],
            AccessToken = api.Shop.AccessToken,
            Sign = "00",
        });

        Assert.Equal((36009004, "param cancel_id is invalid"), (unknown.Code, unknown.Message));
        Assert.Equal((36009004, "param cancel_id is invalid"), (foreign.Code, foreign.Message));
        Assert.Equal("CANCELLATION_REQUEST_PENDING", api.Sim.GetCancellation(foreignCancel).Status);
        Assert.Equal((36009004, "param return_or_cancel_id is missing"), (reasonsMissing.Code, reasonsMissing.Message));
        Assert.Equal(36009004, longKey.Code);
        Assert.Equal(106001, badSign.Code);
    }
}
