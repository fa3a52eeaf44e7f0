using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>
/// The merchant acting in the Shopify admin (FulfillAsMerchant, CancelAsMerchant and their /_sim routes), read back the
/// way Connector reads it: one order's fulfilments with tracking and per-line quantities, and an updated_at scan.
/// </summary>
public sealed class MerchantActionTests
{
    /// <summary>Connector's per-order read of what the merchant did (fulfilled with tracking, or cancelled).</summary>
    private const string StoreOrderState = """
        query StoreOrderState($id: ID!) {
          order(id: $id) {
            id name updatedAt cancelledAt cancelReason
            fulfillments(first: 50) {
              id status createdAt
              trackingInfo(first: 5) { number company }
              fulfillmentLineItems(first: 100) { nodes { id quantity lineItem { id sku } } }
            }
          }
        }
        """;

    /// <summary>Connector's scan for orders the merchant changed since a point in time.</summary>
    private const string ChangedOrders = """
        query ChangedOrders($query: String!, $after: String) {
          orders(first: 100, after: $after, sortKey: UPDATED_AT, query: $query) {
            nodes { id sourceIdentifier updatedAt cancelledAt }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-22T18:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task StoreOrderState_shows_a_partial_then_a_full_merchant_fulfilment_with_tracking_and_units_per_sku()
    {
        var time = new FakeTimeProvider(Start);

        // The query asks for up to 50 fulfilments × 100 lines: over Shopify's 1000-point single-query limit (see
        // StoreOrderState_as_written_exceeds_the_single_query_cost_limit), so this shop has a larger bucket.
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time, BucketSize = 20_000 });
        var variants = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10), ("CAP-2", 14m, 10));
        var orderId = await CreateOrderAsync(shop, "576-1", ["TikTok Shop"], (variants[0], 3), (variants[1], 1));

        time.Advance(TimeSpan.FromMinutes(5));
        var partialId = shop.Shop.FulfillAsMerchant(orderId, "1Z999AA10000000001", "UPS", new Dictionary<string, int> { ["CAP-1"] = 2 });
        var partialAt = time.GetUtcNow();
        var afterPartial = (await shop.DataAsync(StoreOrderState, new { id = orderId }))["order"]!;

        time.Advance(TimeSpan.FromMinutes(5));
        var restId = shop.Shop.FulfillAsMerchant(orderId, "1Z999AA10000000002", "UPS");
        var restAt = time.GetUtcNow();
        var order = (await shop.DataAsync(StoreOrderState, new { id = orderId }))["order"]!;

        Assert.Equal(Iso(partialAt), (string?)afterPartial["updatedAt"]);
        Assert.Single(afterPartial["fulfillments"]!.AsArray());

        var lines = shop.Shop.FindOrder(orderId)!.LineItems;
        Assert.Equal(orderId, (string?)order["id"]);
        Assert.Equal("#1001", (string?)order["name"]);
        Assert.Equal(Iso(restAt), (string?)order["updatedAt"]);
        Assert.Null(order["cancelledAt"]);
        Assert.Null(order["cancelReason"]);

        var fulfillments = order["fulfillments"]!.AsArray();
        Assert.Equal(2, fulfillments.Count);
        Assert.Equal([partialId, restId], fulfillments.Select(f => (string)f!["id"]!));
        Assert.All(fulfillments, f => Assert.Equal("SUCCESS", (string?)f!["status"]));
        Assert.Equal([Iso(partialAt), Iso(restAt)], fulfillments.Select(f => (string)f!["createdAt"]!));
        Assert.Equal("""[{"number":"1Z999AA10000000001","company":"UPS"}]""", fulfillments[0]!["trackingInfo"]!.ToJsonString());
        Assert.Equal("""[{"number":"1Z999AA10000000002","company":"UPS"}]""", fulfillments[1]!["trackingInfo"]!.ToJsonString());

        Assert.Equal(["CAP-1:2"], UnitsPerSku(fulfillments[0]!));
        Assert.Equal(["CAP-1:1", "CAP-2:1"], UnitsPerSku(fulfillments[1]!));
        var items = fulfillments.SelectMany(f => f!["fulfillmentLineItems"]!["nodes"]!.AsArray()).ToArray();
        Assert.All(items, i => Assert.StartsWith("gid://shopify/FulfillmentLineItem/", (string)i!["id"]!, StringComparison.Ordinal));
        Assert.Equal(items.Length, items.Select(i => (string)i!["id"]!).Distinct().Count());
        Assert.Equal([lines[0].Id, lines[0].Id, lines[1].Id], items.Select(i => (string)i!["lineItem"]!["id"]!));

        var refused = Assert.Throws<InvalidOperationException>(() => shop.Shop.FulfillAsMerchant(orderId, "1Z999AA10000000003", "UPS"));
        Assert.Contains("unfulfillable status= closed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, shop.Shop.FindOrder(orderId)!.Fulfillments.Count);
    }

    [Fact]
    public async Task StoreOrderState_as_written_exceeds_the_single_query_cost_limit()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10))[0];
        var orderId = await CreateOrderAsync(shop, "576-1", [], (variant, 1));

        var (status, body) = await shop.PostAsync(StoreOrderState, new { id = orderId });
        var (_, smaller) = await shop.PostAsync(
            """
            query MerchantOrderState($id: ID!) {
              order(id: $id) {
                id updatedAt cancelledAt cancelReason
                fulfillments(first: 10) {
                  id status createdAt
                  trackingInfo(first: 1) { number company }
                  fulfillmentLineItems(first: 20) { nodes { id quantity lineItem { id sku variant { id } } } }
                }
              }
            }
            """,
            new { id = orderId });

        // 1 (order) + 50 fulfilments × (1 + 5 tracking infos + fulfillmentLineItems 2 + 100 × (node 1 + lineItem 1)).
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("MAX_COST_EXCEEDED", (string?)body["errors"]![0]!["extensions"]!["code"]);
        Assert.Equal(10_401, (int)body["errors"]![0]!["extensions"]!["cost"]!);

        // 1 + 10 × (1 + 1 + 2 + 20 × (1 + lineItem 1 + variant 1)) fits; what is returned costs far less.
        Assert.Null(smaller["errors"]);
        Assert.Equal(641, (int)smaller["extensions"]!["cost"]!["requestedQueryCost"]!);
        Assert.Equal(orderId, (string?)smaller["data"]!["order"]!["id"]);
    }

    [Fact]
    public async Task Fulfillment_line_items_are_a_connection_with_edges_cursors_and_money()
    {
        await using var shop = await TestShop.StartAsync();
        var variants = shop.Shop.AddProduct("Cap", ("CAP-1", 12.5m, 10), ("CAP-2", 3m, 10));
        var orderId = await CreateOrderAsync(shop, "576-1", [], (variants[0], 2), (variants[1], 4));
        shop.Shop.FulfillAsMerchant(orderId, null, null, new Dictionary<string, int> { ["CAP-1"] = 2, ["CAP-2"] = 3 });

        var data = await shop.DataAsync(
            """
            query($id: ID!, $after: String) {
              order(id: $id) {
                displayFulfillmentStatus
                fulfillments(first: 5) {
                  trackingInfo(first: 5) { number }
                  totalQuantity
                  order { id }
                  fulfillmentLineItems(first: 1, after: $after) {
                    edges { cursor node { quantity lineItem { sku } originalTotalSet { shopMoney { amount currencyCode } } } }
                    pageInfo { hasNextPage endCursor }
                  }
                }
              }
            }
            """,
            new { id = orderId });
        var fulfillment = data["order"]!["fulfillments"]![0]!;
        var page = fulfillment["fulfillmentLineItems"]!;
        var next = (await shop.DataAsync(
            "query($id: ID!, $after: String) { order(id: $id) { fulfillments(first: 5) { fulfillmentLineItems(first: 1, after: $after) { nodes { lineItem { sku } } pageInfo { hasNextPage } } } } }",
            new { id = orderId, after = (string)page["pageInfo"]!["endCursor"]! }))["order"]!["fulfillments"]![0]!["fulfillmentLineItems"]!;

        Assert.Equal("PARTIALLY_FULFILLED", (string?)data["order"]!["displayFulfillmentStatus"]);
        Assert.Empty(fulfillment["trackingInfo"]!.AsArray());
        Assert.Equal(5, (int)fulfillment["totalQuantity"]!);
        Assert.Equal(orderId, (string?)fulfillment["order"]!["id"]);
        var edge = Assert.Single(page["edges"]!.AsArray())!;
        Assert.Equal((string?)page["pageInfo"]!["endCursor"], (string?)edge["cursor"]);
        Assert.Equal("""{"quantity":2,"lineItem":{"sku":"CAP-1"},"originalTotalSet":{"shopMoney":{"amount":"25.0","currencyCode":"USD"}}}""", edge["node"]!.ToJsonString());
        Assert.True((bool)page["pageInfo"]!["hasNextPage"]!);
        Assert.Equal("""{"nodes":[{"lineItem":{"sku":"CAP-2"}}],"pageInfo":{"hasNextPage":false}}""", next.ToJsonString());
    }

    [Fact]
    public async Task FulfillAsMerchant_refuses_what_Shopify_refuses_and_changes_nothing()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10), ("CAP-2", 12m, 10))[0];
        var orderId = await CreateOrderAsync(shop, "576-1", [], (variant, 2));
        var cancelledId = await CreateOrderAsync(shop, "576-2", [], (variant, 1));
        shop.Shop.CancelAsMerchant(cancelledId);
        var before = shop.Shop.FindOrder(orderId);

        var tooMany = Assert.Throws<InvalidOperationException>(() => shop.Shop.FulfillAsMerchant(orderId, "T1", "UPS", new Dictionary<string, int> { ["CAP-1"] = 3 }));
        var zero = Assert.Throws<InvalidOperationException>(() => shop.Shop.FulfillAsMerchant(orderId, "T1", "UPS", new Dictionary<string, int> { ["CAP-1"] = 0 }));
        var notOnOrder = Assert.Throws<InvalidOperationException>(() => shop.Shop.FulfillAsMerchant(orderId, "T1", "UPS", new Dictionary<string, int> { ["CAP-2"] = 1 }));
        var unknown = Assert.Throws<InvalidOperationException>(() => shop.Shop.FulfillAsMerchant("gid://shopify/Order/1", "T1", "UPS"));
        var cancelled = Assert.Throws<InvalidOperationException>(() => shop.Shop.FulfillAsMerchant(cancelledId, "T1", "UPS"));
        Assert.Throws<ArgumentException>(() => shop.Shop.FulfillAsMerchant(orderId, "T1", "UPS", new Dictionary<string, int>()));

        Assert.Contains("Invalid fulfillment order line item quantity requested.", tooMany.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid fulfillment order line item quantity requested.", zero.Message, StringComparison.Ordinal);
        Assert.Contains("no line item with SKU 'CAP-2'", notOnOrder.Message, StringComparison.Ordinal);
        Assert.Contains("Order does not exist.", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("unfulfillable status= cancelled", cancelled.Message, StringComparison.Ordinal);
        Assert.Same(before, shop.Shop.FindOrder(orderId));
        Assert.Empty(shop.Shop.FindOrder(cancelledId)!.Fulfillments);
    }

    [Fact]
    public async Task CancelAsMerchant_sets_cancelledAt_and_reason_and_bumps_updatedAt()
    {
        var time = new FakeTimeProvider(Start);
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time });
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10))[0];
        var orderId = await CreateOrderAsync(shop, "576-1", ["TikTok Shop"], (variant, 2), inventoryBehaviour: "DECREMENT_OBEYING_POLICY");
        var fulfilledId = await CreateOrderAsync(shop, "576-2", ["TikTok Shop"], (variant, 1));
        shop.Shop.FulfillAsMerchant(fulfilledId, "T1", "UPS");

        time.Advance(TimeSpan.FromMinutes(30));
        shop.Shop.CancelAsMerchant(orderId, "INVENTORY", restock: true, staffNote: "Out of stock");
        var read = (await shop.DataAsync(
            "query($id: ID!) { order(id: $id) { createdAt updatedAt cancelledAt cancelReason cancellation { staffNote } displayFulfillmentStatus } }",
            new { id = orderId }))["order"]!;

        Assert.Equal(Iso(Start), (string?)read["createdAt"]);
        Assert.Equal(Iso(Start.AddMinutes(30)), (string?)read["updatedAt"]);
        Assert.Equal(Iso(Start.AddMinutes(30)), (string?)read["cancelledAt"]);
        Assert.Equal("INVENTORY", (string?)read["cancelReason"]);
        Assert.Equal("Out of stock", (string?)read["cancellation"]!["staffNote"]);
        Assert.Equal(10, shop.Shop.InventoryOf("CAP-1"));

        var twice = Assert.Throws<InvalidOperationException>(() => shop.Shop.CancelAsMerchant(orderId));
        var fulfilled = Assert.Throws<InvalidOperationException>(() => shop.Shop.CancelAsMerchant(fulfilledId));
        Assert.Throws<ArgumentException>(() => shop.Shop.CancelAsMerchant(fulfilledId, "BORED"));
        Assert.Contains("already been cancelled", twice.Message, StringComparison.Ordinal);
        Assert.Contains("has fulfillments", fulfilled.Message, StringComparison.Ordinal);
        Assert.Null(shop.Shop.FindOrder(fulfilledId)!.CancelledAt);
        Assert.Equal(Iso(Start.AddMinutes(30)), Iso(shop.Shop.FindOrder(orderId)!.UpdatedAt));
    }

    [Fact]
    public async Task ChangedOrders_with_an_updated_at_lower_bound_and_the_tag_returns_only_tagged_orders_changed_since()
    {
        var time = new FakeTimeProvider(Start);
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time });
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10))[0];
        var untouched = await CreateOrderAsync(shop, "576-1", ["TikTok Shop"], (variant, 1));
        var fulfilled = await CreateOrderAsync(shop, "576-2", ["TikTok Shop"], (variant, 1));
        var cancelled = await CreateOrderAsync(shop, "576-3", ["TikTok Shop", "vip"], (variant, 1));
        var otherChannel = await CreateOrderAsync(shop, "web-1", ["Web"], (variant, 1));

        time.Advance(TimeSpan.FromHours(1)); // 2026-11-22T19:00:00Z, the scan's lower bound
        time.Advance(TimeSpan.FromMinutes(10));
        shop.Shop.CancelAsMerchant(cancelled, "CUSTOMER");
        shop.Shop.CancelAsMerchant(otherChannel, "CUSTOMER");
        time.Advance(TimeSpan.FromMinutes(10));
        shop.Shop.FulfillAsMerchant(fulfilled, "1Z1", "UPS");

        var page = (await shop.DataAsync(ChangedOrders, new { query = "updated_at:>='2026-11-22T19:00:00Z' tag:'TikTok Shop'" }))["orders"]!;
        var doubleQuoted = (await shop.DataAsync(ChangedOrders, new { query = "updated_at:>=\"2026-11-22T19:00:00Z\" tag:\"TikTok Shop\"" }))["orders"]!;
        var strictlyAfterCancel = (await shop.DataAsync(ChangedOrders, new { query = "updated_at:>'2026-11-22T19:10:00Z' tag:'TikTok Shop'" }))["orders"]!;
        var beforeBound = (await shop.DataAsync(ChangedOrders, new { query = "updated_at:<'2026-11-22T19:00:00Z' tag:'TikTok Shop'" }))["orders"]!;

        var nodes = page["nodes"]!.AsArray();
        Assert.Equal([cancelled, fulfilled], nodes.Select(n => (string)n!["id"]!));
        Assert.Equal(["576-3", "576-2"], nodes.Select(n => (string)n!["sourceIdentifier"]!));
        Assert.Equal([Iso(Start.AddMinutes(70)), Iso(Start.AddMinutes(80))], nodes.Select(n => (string)n!["updatedAt"]!));
        Assert.Equal(Iso(Start.AddMinutes(70)), (string?)nodes[0]!["cancelledAt"]);
        Assert.Null(nodes[1]!["cancelledAt"]);
        Assert.False((bool)page["pageInfo"]!["hasNextPage"]!);
        Assert.NotNull((string?)page["pageInfo"]!["endCursor"]);
        Assert.Equal(page.ToJsonString(), doubleQuoted.ToJsonString());
        Assert.Equal([fulfilled], strictlyAfterCancel["nodes"]!.AsArray().Select(n => (string)n!["id"]!));
        Assert.Equal([untouched], beforeBound["nodes"]!.AsArray().Select(n => (string)n!["id"]!));
    }

    [Fact]
    public async Task ChangedOrders_pages_with_the_end_cursor()
    {
        var time = new FakeTimeProvider(Start);
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time });
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 500))[0];
        var ids = new List<string>();
        for (var i = 0; i < 105; i++)
        {
            ids.Add(await CreateOrderAsync(shop, $"576-{i}", ["TikTok Shop"], (variant, 1)));
            time.Advance(TimeSpan.FromMilliseconds(100)); // the bucket restores the orderCreate's 10 points
        }

        time.Advance(TimeSpan.FromHours(1));
        foreach (var id in Enumerable.Reverse(ids))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            shop.Shop.CancelAsMerchant(id);
        }

        const string Query = "updated_at:>='2026-11-22T19:00:00Z' tag:'TikTok Shop'";
        var first = (await shop.DataAsync(ChangedOrders, new { query = Query }))["orders"]!;
        var second = (await shop.DataAsync(ChangedOrders, new { query = Query, after = (string)first["pageInfo"]!["endCursor"]! }))["orders"]!;

        Assert.True((bool)first["pageInfo"]!["hasNextPage"]!);
        Assert.False((bool)second["pageInfo"]!["hasNextPage"]!);
        var seen = first["nodes"]!.AsArray().Concat(second["nodes"]!.AsArray()).Select(n => (string)n!["id"]!).ToArray();
        Assert.Equal(Enumerable.Reverse(ids), seen); // oldest change first: the last order was cancelled first
    }

    [Fact]
    public async Task Search_index_lag_hides_recent_changes_from_the_updated_at_scan_but_not_from_order_by_id()
    {
        var time = new FakeTimeProvider(Start);
        await using var shop = await TestShop.StartAsync(new ShopifySimulatorOptions { TimeProvider = time });
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10))[0];
        var orderId = await CreateOrderAsync(shop, "576-1", ["TikTok Shop"], (variant, 1));
        time.Advance(TimeSpan.FromHours(1));
        shop.Shop.SetSearchIndexLag(TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromMinutes(1));
        shop.Shop.FulfillAsMerchant(orderId, "1Z1", "UPS");
        var newId = await CreateOrderAsync(shop, "576-2", ["TikTok Shop"], (variant, 1));
        const string Query = "updated_at:>='2026-11-22T19:00:00Z' tag:'TikTok Shop'";
        var during = (await shop.DataAsync(ChangedOrders, new { query = Query }))["orders"]!["nodes"]!.AsArray();
        var stale = (await shop.DataAsync(ChangedOrders, new { query = "updated_at:<'2026-11-22T19:00:00Z' fulfillment_status:unfulfilled" }))["orders"]!["nodes"]!.AsArray();
        var direct = (await shop.DataAsync(StoreOrderStateCheap, new { id = orderId }))["order"]!;

        time.Advance(TimeSpan.FromSeconds(30));
        var after = (await shop.DataAsync(ChangedOrders, new { query = Query }))["orders"]!["nodes"]!.AsArray();

        Assert.Empty(during);
        var staleHit = Assert.Single(stale)!; // the index still holds the unfulfilled version; the node is current
        Assert.Equal(orderId, (string?)staleHit["id"]);
        Assert.Equal(Iso(Start.AddMinutes(61)), (string?)staleHit["updatedAt"]);
        Assert.Single(direct["fulfillments"]!.AsArray());
        Assert.Equal([orderId, newId], after.Select(n => (string)n!["id"]!));
    }

    [Fact]
    public async Task Control_routes_fulfil_and_cancel_as_the_merchant_and_answer_refusals_with_a_problem()
    {
        await using var shop = await TestShop.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = shop.Simulator.BaseUrl };
        var variants = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 10), ("CAP-2", 12m, 10));
        var orderId = await CreateOrderAsync(shop, "576-1", [], (variants[0], 3), (variants[1], 1));
        var toCancel = await CreateOrderAsync(shop, "576-2", [], (variants[0], 1));

        using var partial = await http.PostAsJsonAsync("/_sim/stores/test-shop/orders/1001/fulfill", new { trackingNumber = "1Z1", company = "UPS", units = new Dictionary<string, int> { ["CAP-1"] = 2 } });
        using var rest = await http.PostAsJsonAsync($"/_sim/stores/test-shop/orders/{Uri.EscapeDataString(orderId)}/fulfill", new { trackingNumber = "1Z2", company = "UPS" });
        using var again = await http.PostAsJsonAsync("/_sim/stores/test-shop/orders/%231001/fulfill", new { trackingNumber = "1Z3", company = "UPS" });
        using var badUnits = await http.PostAsJsonAsync("/_sim/stores/test-shop/orders/1002/fulfill", new { units = new { CAP_1 = "two" } });
        using var unknownSku = await http.PostAsJsonAsync("/_sim/stores/test-shop/orders/1002/fulfill", new { units = new Dictionary<string, int> { ["NOPE"] = 1 } });
        using var unknownOrder = await http.PostAsJsonAsync("/_sim/stores/test-shop/orders/9999/fulfill", new { });
        using var cancel = await http.PostAsJsonAsync($"/_sim/stores/test-shop/orders/{LegacyId(toCancel)}/cancel", new { reason = "FRAUD", restock = false, staffNote = "Chargeback" });
        using var cancelAgain = await http.PostAsJsonAsync("/_sim/stores/test-shop/orders/1002/cancel", new { });
        using var cancelFulfilled = await http.PostAsJsonAsync("/_sim/stores/test-shop/orders/1001/cancel", new { });
        using var badReason = await http.PostAsJsonAsync("/_sim/stores/test-shop/orders/1001/cancel", new { reason = "BORED" });

        Assert.Equal(HttpStatusCode.Created, partial.StatusCode);
        var partialBody = await BodyAsync(partial);
        Assert.StartsWith("gid://shopify/Fulfillment/", (string)partialBody["fulfillmentId"]!, StringComparison.Ordinal);
        Assert.Equal(orderId, (string?)partialBody["orderId"]);
        Assert.Equal("#1001", (string?)partialBody["orderName"]);
        Assert.Equal("PARTIALLY_FULFILLED", (string?)partialBody["displayFulfillmentStatus"]);
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        Assert.Equal("FULFILLED", (string?)(await BodyAsync(rest))["displayFulfillmentStatus"]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        var problem = await BodyAsync(again);
        Assert.Equal("422", (string?)problem["status"]);
        Assert.Contains("unfulfillable status= closed", (string)problem["error"]!, StringComparison.Ordinal);
        Assert.Contains("unfulfillable status= closed", (string)problem["userErrors"]![0]!["message"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badUnits.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownSku.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownOrder.StatusCode);

        var fulfilled = shop.Shop.FindOrder(orderId)!;
        Assert.Equal(["1Z1", "1Z2"], fulfilled.Fulfillments.Select(f => f.TrackingInfo.Single().Number));
        Assert.Equal([2, 2], fulfilled.Fulfillments.Select(f => f.LineItems.Sum(l => l.Quantity)));

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelBody = await BodyAsync(cancel);
        Assert.Equal("FRAUD", (string?)cancelBody["cancelReason"]);
        Assert.NotNull(cancelBody["cancelledAt"]);
        var cancelled = shop.Shop.FindOrder(toCancel)!;
        Assert.Equal("Chargeback", cancelled.CancelStaffNote);
        Assert.False(cancelled.CancelRestocked);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cancelAgain.StatusCode);
        Assert.Equal("INVALID", (string?)(await BodyAsync(cancelAgain))["userErrors"]![0]!["code"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cancelFulfilled.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
        Assert.Null(shop.Shop.FindOrder(orderId)!.CancelledAt);
    }

    private const string StoreOrderStateCheap = """
        query($id: ID!) { order(id: $id) { id updatedAt fulfillments(first: 5) { id } } }
        """;

    private static async Task<string> CreateOrderAsync(TestShop shop, string sourceIdentifier, string[] tags, (string VariantId, int Quantity) line, string? inventoryBehaviour = null) =>
        await CreateOrderAsync(shop, sourceIdentifier, tags, [line], inventoryBehaviour);

    private static async Task<string> CreateOrderAsync(TestShop shop, string sourceIdentifier, string[] tags, (string VariantId, int Quantity) first, (string VariantId, int Quantity) second) =>
        await CreateOrderAsync(shop, sourceIdentifier, tags, [first, second], null);

    private static async Task<string> CreateOrderAsync(TestShop shop, string sourceIdentifier, string[] tags, (string VariantId, int Quantity)[] lines, string? inventoryBehaviour)
    {
        var order = new
        {
            sourceName = "tiktok_shop",
            sourceIdentifier,
            tags,
            lineItems = lines.Select(l => new { variantId = l.VariantId, quantity = l.Quantity }).ToArray(),
        };
        var data = inventoryBehaviour is null
            ? await shop.DataAsync(TestShop.OrderCreate, new { order })
            : await shop.DataAsync(TestShop.OrderCreate, new { order, options = new { inventoryBehaviour } });
        Assert.Empty(data["orderCreate"]!["userErrors"]!.AsArray());
        return (string)data["orderCreate"]!["order"]!["id"]!;
    }

    private static IEnumerable<string> UnitsPerSku(JsonNode fulfillment) =>
        fulfillment["fulfillmentLineItems"]!["nodes"]!.AsArray().Select(n => $"{(string)n!["lineItem"]!["sku"]!}:{(int)n["quantity"]!}");

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string LegacyId(string orderGid) => orderGid[(orderGid.LastIndexOf('/') + 1)..];

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
