using System.Globalization;
using System.Net;
using Connector.Sandbox.PrestaShop;

namespace Connector.Sandbox.Stores.Tests;

/// <summary>store-apis.md §1.3 (sequence), §1.4 (what POST /api/orders really does), §1.5 (pitfalls), §1.6/§1.7 (states).</summary>
public sealed class PrestaShopOrderTests
{
    // Catalog 30.00 tax excl.; pinned at 25.00 tax excl. → 30.00 with FR VAT 20 %; two units → 60.00.
    private const decimal Catalog = 30m;
    private const decimal Pinned = 25m;

    [Fact]
    public async Task Right_total_with_a_cart_scoped_specific_price_creates_the_order_in_remote_payment_accepted()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 2, Pinned);
        Assert.Equal(60.00m, ps.Shop.CartTotal(cart));

        var answer = await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m));

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        var order = Assert.Single(ps.Shop.Orders);
        Assert.Equal(ps.Shop.OrderStateIds["PS_OS_WS_PAYMENT"], order.CurrentState); // posted current_state 2 is ignored
        Assert.Equal(11, order.CurrentState);
        Assert.Equal(60.00m, order.TotalPaid);
        Assert.Equal(60.00m, order.TotalPaidReal);
        Assert.Equal("ps_checkpayment", order.Module);
        Assert.Equal("TikTok Shop", order.Payment);
        Assert.Matches("^[A-Z]{9}$", order.Reference);
        Assert.Equal(25.00m, Assert.Single(order.Rows).UnitPriceTaxExcl);
        Assert.Equal(8, ps.Shop.StockOf("CAP-1"));                       // §1.4 (e) stock decremented
        Assert.Empty(ps.Shop.SpecificPrices);                             // Order::add → deleteByIdCart
        Assert.Equal(60.00m, Assert.Single(order.Payments).Amount);
        Assert.Contains(ps.Shop.Emails, e => e.Template == "order_conf"); // §1.4 (e) customer e-mails
        Assert.Equal(order.Id.ToString(CultureInfo.InvariantCulture), answer.Xml.Element("order")!.Element("id")!.Value);
    }

    [Fact]
    public async Task Wrong_total_creates_the_order_in_payment_error_with_both_amounts_visible_and_stock_untouched()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 2, Pinned);

        var answer = await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 59.99m));

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        var order = Assert.Single(ps.Shop.Orders);
        Assert.Equal(ps.Shop.OrderStateIds["PS_OS_ERROR"], order.CurrentState);
        Assert.False(order.Valid);
        Assert.Equal(60.00m, order.TotalPaid);      // what the shop computed
        Assert.Equal(59.99m, order.TotalPaidReal);  // what was "paid" (the posted total_paid)
        Assert.Equal(10, ps.Shop.StockOf("CAP-1"));
        var json = await ps.GetAsync($"orders/{order.Id}", json: true);
        Assert.Equal("60.000000", (string)json.Json["order"]!["total_paid"]!);
        Assert.Equal("59.990000", (string)json.Json["order"]!["total_paid_real"]!);
        Assert.Equal("8", (string)json.Json["order"]!["current_state"]!);
    }

    [Fact]
    public async Task Without_a_pinned_price_the_catalog_price_makes_the_tiktok_total_a_payment_error()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 2);

        await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m));

        var order = Assert.Single(ps.Shop.Orders);
        Assert.Equal(72.00m, order.TotalPaid);
        Assert.Equal(8, order.CurrentState);
    }

    [Fact]
    public async Task A_second_order_on_the_same_cart_is_refused_with_the_core_message()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 2, Pinned);
        await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m));

        var again = await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m));

        Assert.Equal("Cart cannot be loaded or an order has already been placed using this cart", again.Body);
        Assert.StartsWith("text/html", again.ContentType, StringComparison.Ordinal);
        Assert.Single(ps.Shop.Orders);
        Assert.Equal(8, ps.Shop.StockOf("CAP-1"));
    }

    [Fact]
    public async Task Inactive_payment_module_is_refused_and_an_unknown_one_gives_an_empty_500()
    {
        await using var ps = await PsTestShop.StartAsync();
        ps.Shop.SetPaymentModule("ps_checkpayment", "Payments by check", active: false);
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 2, Pinned);

        var inactive = await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m));
        var unknown = await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m, module: "MySource"));
        var invalidName = await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m, module: "My Source"));

        Assert.Equal("Fatal error", inactive.Body);
        Assert.Equal(HttpStatusCode.InternalServerError, unknown.Status);
        Assert.Equal(string.Empty, unknown.Body);
        Assert.Equal((85, "Validation error: \"Property Order->module is not valid\""), invalidName.Errors.Single());
        Assert.Empty(ps.Shop.Orders);
        Assert.Equal(10, ps.Shop.StockOf("CAP-1"));
    }

    [Fact]
    public async Task Inactive_delivery_country_stops_the_order()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 1, Pinned);
        ps.Shop.SetCountryActive("FR", false);

        var answer = await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 30.00m));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("The delivery address country is not active.", answer.Body);
        Assert.Empty(ps.Shop.Orders);
    }

    [Fact]
    public async Task Renumbered_order_states_are_honoured_and_readable_through_configurations()
    {
        var options = new PrestaShopShopOptions { OrderStates = [.. PrestaShopShopOptions.DefaultOrderStates(offset: 100)] };
        await using var ps = await PsTestShop.StartAsync(options);
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var ok = await ps.PrepareCartAsync(product, 2, Pinned);
        var bad = await ps.PrepareCartAsync(product, 2, Pinned);

        var config = await ps.GetAsync("configurations?filter[name]=[PS_OS_WS_PAYMENT|PS_OS_ERROR|PS_OS_SHIPPING]&display=[name,value]", json: true);
        await ps.PostAsync("orders", PsTestShop.OrderXml(ok.Cart, ok.Customer, ok.Address, 60.00m));
        await ps.PostAsync("orders", PsTestShop.OrderXml(bad.Cart, bad.Customer, bad.Address, 1.00m));

        var values = config.Json["configurations"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => (string)c!["value"]!);
        Assert.Equal("111", values["PS_OS_WS_PAYMENT"]);
        Assert.Equal("108", values["PS_OS_ERROR"]);
        Assert.Equal("104", values["PS_OS_SHIPPING"]);
        Assert.Equal([111, 108], ps.Shop.Orders.Select(o => o.CurrentState));
        var states = await ps.GetAsync("order_states/111", json: true);
        Assert.Equal("Remote payment accepted", (string)states.Json["order_state"]!["name"]!);
    }

    [Fact]
    public async Task Order_history_changes_the_state_sends_mail_only_with_sendemail_and_cancel_restocks()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 2, Pinned);
        await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m));
        var orderId = ps.Shop.Orders.Single().Id;
        Assert.Equal(8, ps.Shop.StockOf("CAP-1"));

        var shipped = await ps.SendAsync(HttpMethod.Post, "order_histories?sendemail=1", PsTestShop.Envelope($"<order_history><id_order>{orderId}</id_order><id_order_state>4</id_order_state></order_history>"));
        var canceled = await ps.SendAsync(HttpMethod.Post, "order_histories", PsTestShop.Envelope($"<order_history><id_order>{orderId}</id_order><id_order_state>6</id_order_state></order_history>"));

        Assert.Equal(HttpStatusCode.Created, shipped.Status);
        Assert.Equal(HttpStatusCode.Created, canceled.Status);
        var order = ps.Shop.Orders.Single();
        Assert.Equal(6, order.CurrentState);
        Assert.Equal([11, 4, 6], order.OrderHistories.Select(h => h.OrderStateId));
        Assert.Equal([true, true, false], order.OrderHistories.Select(h => h.EmailSent));
        Assert.Contains(ps.Shop.Emails, e => e.Template == "shipped");
        Assert.DoesNotContain(ps.Shop.Emails, e => e.Template == "order_canceled");
        Assert.Equal(10, ps.Shop.StockOf("CAP-1")); // logable → Canceled gives the stock back
    }

    [Fact]
    public async Task Specific_price_on_a_product_with_combinations_keeps_the_combination_impact_unless_it_names_it()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("TEE", 20m, 0);
        var red = ps.Shop.AddCombination(product, "TEE-RED", 5m, 4);
        var customer = await ps.CreateCustomerAsync();
        var address = await ps.CreateAddressAsync(customer);
        var anyCombination = await ps.CreateCartAsync(customer, address, (product, red, 1));
        var namedCombination = await ps.CreateCartAsync(customer, address, (product, red, 1));

        await ps.PinPriceAsync(anyCombination, product, 0, 10m);
        await ps.PinPriceAsync(namedCombination, product, red, 10m);

        Assert.Equal(18.00m, ps.Shop.CartTotal(anyCombination));   // (10 + 5 impact) × 1.2
        Assert.Equal(12.00m, ps.Shop.CartTotal(namedCombination)); // 10 × 1.2
    }

    [Theory]
    [InlineData(1, "3.57")] // ROUND_ITEM: 0.995 × 1.2 = 1.194 → 1.19 per unit, × 3
    [InlineData(2, "3.58")] // ROUND_LINE: 3.582 → 3.58
    [InlineData(3, "3.58")] // ROUND_TOTAL
    public async Task Round_type_is_read_from_the_shop(int roundType, string expected)
    {
        var expectedTotal = decimal.Parse(expected, CultureInfo.InvariantCulture);
        await using var ps = await PsTestShop.StartAsync(new PrestaShopShopOptions { RoundType = roundType });
        var product = ps.Shop.AddProduct("PIN", 0.995m, 10);
        var (_, _, cart) = await ps.PrepareCartAsync(product, 3);

        var config = await ps.GetAsync("configurations?filter[name]=[PS_ROUND_TYPE]&display=[value]", json: true);

        Assert.Equal(roundType.ToString(CultureInfo.InvariantCulture), (string)config.Json["configurations"]![0]!["value"]!);
        Assert.Equal(expectedTotal, ps.Shop.CartTotal(cart));
    }

    [Fact]
    public async Task Out_of_stock_order_switches_to_backorder_paid()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 1);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 2, Pinned);

        await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 60.00m));

        var order = ps.Shop.Orders.Single();
        Assert.Equal(ps.Shop.OrderStateIds["PS_OS_OUTOFSTOCK_PAID"], order.CurrentState);
        Assert.Equal(-1, ps.Shop.StockOf("CAP-1"));
    }

    [Fact]
    public async Task Patch_of_current_state_goes_through_order_history_and_delete_removes_a_specific_price()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP-1", Catalog, 10);
        var (customer, address, cart) = await ps.PrepareCartAsync(product, 1, Pinned);
        var spare = await ps.PinPriceAsync(cart, product, 0, 1m);
        var deleted = await ps.SendAsync(HttpMethod.Delete, $"specific_prices/{spare}");
        var missing = await ps.SendAsync(HttpMethod.Delete, "specific_prices/999");
        await ps.PostAsync("orders", PsTestShop.OrderXml(cart, customer, address, 30.00m));
        var orderId = ps.Shop.Orders.Single().Id;

        var patch = await ps.SendAsync(HttpMethod.Patch, $"orders/{orderId}", PsTestShop.Envelope($"<order><id>{orderId}</id><current_state>4</current_state></order>"));
        var root = await ps.GetAsync(string.Empty);

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal((87, "Id(s) not exists: 999"), missing.Errors.Single());
        Assert.Equal(HttpStatusCode.OK, patch.Status);
        var order = ps.Shop.Orders.Single();
        Assert.Equal(4, order.CurrentState);
        Assert.Equal(30.00m, order.TotalPaid);
        Assert.True(order.OrderHistories[^1].EmailSent);
        Assert.Equal("true", (string?)root.Xml.Element("api")!.Element("orders")!.Attribute("post"));
        Assert.Equal("false", (string?)root.Xml.Element("api")!.Element("order_states")!.Attribute("post"));
    }
}
