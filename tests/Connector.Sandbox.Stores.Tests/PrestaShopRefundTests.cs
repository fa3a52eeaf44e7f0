using System.Net;
using Connector.Sandbox.PrestaShop;

namespace Connector.Sandbox.Stores.Tests;

/// <summary>
/// What a refund does in PrestaShop (store-apis.md §1.6 status change, §1.7 order states, stock_availables): the Refunded state
/// (PS_OS_REFUND, not logable) is set through order_histories, and — unlike Canceled and Payment error — it gives no stock back
/// (OrderHistory::changeIdOrderState reinjects stock only for error_or_canceled_statuses), so a connector that restocks must write
/// stock_availables, which accepts PUT and refuses POST and DELETE.
/// </summary>
public sealed class PrestaShopRefundTests
{
    private const decimal Catalog = 30m;
    private const decimal Pinned = 25m;

    [Fact]
    public async Task Refunded_through_order_histories_keeps_the_stock_taken()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 2, Pinned);
        await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m));
        var orderId = ps.Shop.Orders.Single().Id;

        var delivered = await ps.SendAsync(HttpMethod.Post, "order_histories", PsTestShop.Envelope($"<order_history><id_order>{orderId}</id_order><id_order_state>5</id_order_state></order_history>"));
        var refunded = await ps.SendAsync(HttpMethod.Post, "order_histories", PsTestShop.Envelope($"<order_history><id_order>{orderId}</id_order><id_order_state>7</id_order_state></order_history>"));

        Assert.Equal(HttpStatusCode.Created, delivered.Status);
        Assert.Equal(HttpStatusCode.Created, refunded.Status);
        Assert.Equal(7, ps.Shop.Orders.Single().CurrentState);
        Assert.Equal(8, ps.Shop.StockOf("CAP-1"));
    }

    [Fact]
    public async Task An_unknown_order_state_is_refused()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 1, Pinned);
        await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 30.00m));
        var orderId = ps.Shop.Orders.Single().Id;

        var answer = await ps.SendAsync(HttpMethod.Post, "order_histories", PsTestShop.Envelope($"<order_history><id_order>{orderId}</id_order><id_order_state>99</id_order_state></order_history>"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(answer.Errors, e => e.Message.Contains("id_order_state", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stock_comes_back_through_a_PUT_of_stock_availables_and_POST_is_forbidden()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 8);
        var list = await ps.SendAsync(HttpMethod.Get, $"stock_availables?filter[id_product]=[{product}]&display=full", json: true);
        var stock = list.Json["stock_availables"]![0]!;
        var id = (long)stock["id"]!;
        string Xml(int quantity) => PsTestShop.Envelope(
            $"<stock_available><id>{id}</id><id_product>{product}</id_product><id_product_attribute>0</id_product_attribute><id_shop>1</id_shop><id_shop_group>0</id_shop_group>"
            + $"<quantity>{quantity}</quantity><depends_on_stock>0</depends_on_stock><out_of_stock>2</out_of_stock><location></location></stock_available>");

        var put = await ps.SendAsync(HttpMethod.Put, $"stock_availables/{id}", Xml(10));
        var post = await ps.SendAsync(HttpMethod.Post, "stock_availables", Xml(12));

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.Status);
        Assert.Equal(10, ps.Shop.StockOf("CAP-1"));
    }
}
