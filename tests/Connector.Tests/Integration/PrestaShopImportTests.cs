using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connector.Sandbox.PrestaShop;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>TikTok orders into PrestaShop over the Webservice simulator (issue 3): the Shopify matrix, plus pinning and "Payment error".</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PrestaShopImportTests(ITestOutputHelper output)
{
    private static readonly SimAddressSpec Paris = new()
    {
        Name = "Amélie Poulain",
        PhoneNumber = "+33 1 23 45 67 89",
        AddressLine1 = "15 Rue des Trois Frères",
        AddressLine2 = "",
        City = "Paris",
        County = "Paris",
        State = "Île-de-France",
        StateCode = "IDF",
        PostalCode = "75018",
        RegionCode = "FR",
        Country = "France",
    };

    private Task<TestSandbox> StartAsync(SandboxOptions? options = null)
    {
        options ??= new SandboxOptions();
        options.Output = output;
        return TestSandbox.StartAsync(options);
    }

    private static SimOrderSpec French(params (string Sku, int Quantity, decimal Price)[] lines) =>
        TestOrders.Spec(lines) with { Address = Paris, TaxRate = 0m, ShippingFee = 0m, Currency = "EUR" };

    [Fact]
    public async Task A_tiktok_order_becomes_customer_address_cart_pinned_prices_and_an_order_in_the_mapped_state_read_from_the_shop()
    {
        await using var sandbox = await StartAsync();

        // Renumbered states (an old, migrated shop): ids must come from PS_OS_* keys, never a fresh install's numbers.
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("ps1", new PrestaShopShopOptions { OrderStates = [.. PrestaShopShopOptions.DefaultOrderStates(20)] });
        var cap = shop.AddProduct("CAP-1", priceTaxExcl: 10m, quantity: 10);
        var tee = shop.AddProduct("TEE", priceTaxExcl: 18m, quantity: 0);
        shop.AddCombination(tee, "TEE-RED", impactPrice: 2m, quantity: 5);
        var order = sandbox.TikTok.CreateOrder("ps1", TestOrders.Spec(("CAP-1", 2, 12m), ("TEE-RED", 1, 15m)) with { BuyerName = "J.R.R. Tolkien 3rd" });

        await sandbox.FetchAndWaitAsync("ps1");

        var created = Assert.Single(shop.Orders);
        Assert.Equal(shop.OrderStateIds["PS_OS_PAYMENT"], created.CurrentState);
        Assert.Equal(22, created.CurrentState);
        Assert.Equal([shop.OrderStateIds["PS_OS_WS_PAYMENT"], shop.OrderStateIds["PS_OS_PAYMENT"]], created.OrderHistories.Select(h => h.OrderStateId));
        Assert.Equal(39m, created.TotalPaid);
        Assert.Equal(39m, created.TotalPaidReal);
        Assert.Equal("ps_checkpayment", created.Module);
        Assert.Contains(created.Rows, r => r.ProductId == cap && r.Quantity == 2 && r.UnitPriceTaxIncl == 12m);
        Assert.Contains(created.Rows, r => r.Reference == "TEE-RED" && r.UnitPriceTaxIncl == 15m);
        Assert.Equal(8, shop.StockOf("CAP-1"));
        Assert.Equal(4, shop.StockOf("TEE-RED"));

        var customer = Assert.Single(shop.Customers);
        Assert.Equal("buyerid@tiktok.com", customer.Email);
        Assert.DoesNotContain(customer.FirstName + customer.LastName, char.IsDigit);
        var address = Assert.Single(shop.Addresses);
        Assert.Equal(21, address.CountryId);
        Assert.Equal(5, address.StateId);
        Assert.Equal("Culver City", address.City);
        var cart = Assert.Single(shop.Carts);
        Assert.Equal(created.CartId, cart.Id);
        Assert.Contains(shop.Requests, r => r.Method == "POST" && r.Path.EndsWith("/api/specific_prices", StringComparison.Ordinal) && r.Body.Contains($"<id_cart>{cart.Id}</id_cart>", StringComparison.Ordinal));
        Assert.Empty(shop.SpecificPrices);
        Assert.DoesNotContain(shop.Requests, r => r.Query.Contains("sendemail", StringComparison.Ordinal));

        var view = await sandbox.GetOrderAsync("ps1", order.Id);
        Assert.Equal("Imported", view.GetProperty("importState").GetString());
        Assert.Equal(created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), view.GetProperty("storeOrderId").GetString());
    }

    [Fact]
    public async Task A_vat_inclusive_tiktok_price_is_pinned_tax_excluded_so_prestashop_lands_on_it_instead_of_payment_error()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("psvat", new PrestaShopShopOptions { RoundType = 3 }, region: "FR");
        shop.AddProduct("MUG", priceTaxExcl: 19.99m, quantity: 10);
        shop.AddProduct("BOOK", priceTaxExcl: 9.00m, quantity: 10, taxRulesGroupId: 2);

        // Without the pin PrestaShop would charge 19.99 × 1.2 = 23.99 for the mug, not TikTok's 24.00: "Payment error".
        Assert.NotEqual(24.00m, Math.Round(19.99m * 1.2m, 2));
        var order = sandbox.TikTok.CreateOrder("psvat", French(("MUG", 1, 24.00m), ("BOOK", 3, 9.99m)));

        await sandbox.FetchAndWaitAsync("psvat");

        var created = Assert.Single(shop.Orders);
        Assert.Equal(shop.OrderStateIds["PS_OS_PAYMENT"], created.CurrentState);
        Assert.Equal(53.97m, created.TotalPaid);
        Assert.Equal(created.TotalPaid, created.TotalPaidReal);
        Assert.Contains(created.Rows, r => r.Reference == "MUG" && r.UnitPriceTaxIncl == 24.00m && r.UnitPriceTaxExcl == 20.00m);
        Assert.Equal(8, Assert.Single(shop.Addresses).CountryId);
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("psvat", order.Id)).GetProperty("importState").GetString());
    }

    [Fact]
    public async Task A_wrong_pin_lands_in_payment_error_is_recorded_failed_with_both_amounts_and_a_retry_never_creates_a_second_order()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("pserr", region: "FR");
        shop.AddProduct("MUG", priceTaxExcl: 19.99m, quantity: 10);
        sandbox.TikTok.CreateOrder("pserr", French(("MUG", 1, 24.00m)));
        await sandbox.FetchAndWaitAsync("pserr");
        Assert.Equal(shop.OrderStateIds["PS_OS_PAYMENT"], Assert.Single(shop.Orders).CurrentState);

        // The merchant changes the VAT rate while Connector still holds the old one: the pin is now wrong by design.
        shop.SetTaxRate("FR", 5.5m);
        var second = sandbox.TikTok.CreateOrder("pserr", French(("MUG", 1, 24.00m)));
        await sandbox.FetchAndWaitAsync("pserr");

        Assert.Equal(2, shop.Orders.Count);
        var broken = shop.Orders.Single(o => o.CurrentState == shop.OrderStateIds["PS_OS_ERROR"]);
        Assert.Equal(21.10m, broken.TotalPaid);
        Assert.Equal(24.00m, broken.TotalPaidReal);
        var view = await sandbox.GetOrderAsync("pserr", second.Id);
        Assert.Equal("Failed", view.GetProperty("importState").GetString());
        var reason = view.GetProperty("failureReason").GetString()!;
        Assert.Contains("Payment error", reason, StringComparison.Ordinal);
        Assert.Contains("21.10", reason, StringComparison.Ordinal);
        Assert.Contains("24.00", reason, StringComparison.Ordinal);

        // A retry finds the same order (still in Payment error): Failed again, and still two PrestaShop orders.
        view = await StoreTestSupport.RetryAndWaitAsync(sandbox, "pserr", second.Id);
        Assert.Equal("Failed", view.GetProperty("importState").GetString());
        Assert.Equal(2, shop.Orders.Count);

        // The merchant fixes the order in PrestaShop; the next retry adopts it.
        await SetStateAsync(shop, broken.Id, shop.OrderStateIds["PS_OS_PAYMENT"]);
        view = await StoreTestSupport.RetryAndWaitAsync(sandbox, "pserr", second.Id);
        Assert.Equal("Imported", view.GetProperty("importState").GetString());
        Assert.Equal(broken.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), view.GetProperty("storeOrderId").GetString());
        Assert.Equal(2, shop.Orders.Count);
    }

    [Fact]
    public async Task The_same_message_twice_and_four_concurrent_deliveries_create_one_prestashop_order()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("psdup");
        shop.AddProduct("CAP-1", priceTaxExcl: 12m, quantity: 50);
        var first = sandbox.TikTok.CreateOrder("psdup", TestOrders.Spec(("CAP-1", 1, 12m)));
        var payload = StoreTestSupport.Invocation("psdup", first.Id, first.UpdateTime, "m-psdup");
        using (var a = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload))
        using (var b = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage", payload))
        {
            Assert.True(a.IsSuccessStatusCode);
            Assert.True(b.IsSuccessStatusCode);
        }

        Assert.Single(shop.Orders);

        var racing = sandbox.TikTok.CreateOrder("psdup", TestOrders.Spec(("CAP-1", 1, 12m)));
        var racePayload = StoreTestSupport.Invocation("psdup", racing.Id, racing.UpdateTime, "m-psrace");
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => sandbox.Host.InvokeRawAsync("ProcessOrderMessage", racePayload)));
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode || (int)a.StatusCode == 503, $"unexpected {(int)a.StatusCode}"));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        await sandbox.FetchAndWaitAsync("psdup");
        Assert.Equal(2, shop.Orders.Count);
        Assert.Equal(2, shop.Carts.Count);
        Assert.Equal(48, shop.StockOf("CAP-1"));
    }

    [Fact]
    public async Task A_crash_between_the_prestashop_order_and_the_state_write_still_leaves_one_order_in_the_mapped_state()
    {
        var fault = new FailFirstImportedWrite();
        await using var sandbox = await StartAsync(new SandboxOptions { StoragePolicy = fault });
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("pscrash", storeOptions: new { orderStateOnImport = "PS_OS_PREPARATION" });
        shop.AddProduct("CAP-1", priceTaxExcl: 12m, quantity: 50);
        var order = sandbox.TikTok.CreateOrder("pscrash", TestOrders.Spec(("CAP-1", 1, 12m)));

        await sandbox.FetchAndWaitAsync("pscrash");

        Assert.Equal(1, fault.Failures);
        var created = Assert.Single(shop.Orders);
        Assert.Single(shop.Carts);
        Assert.Equal(shop.OrderStateIds["PS_OS_PREPARATION"], created.CurrentState);
        Assert.Single(created.OrderHistories, h => h.OrderStateId == shop.OrderStateIds["PS_OS_PREPARATION"]);
        var view = await sandbox.GetOrderAsync("pscrash", order.Id);
        Assert.Equal("Imported", view.GetProperty("importState").GetString());
        Assert.Equal(49, shop.StockOf("CAP-1"));
    }

    [Fact]
    public async Task Unmatched_and_ambiguous_skus_fail_with_the_reason_and_a_busy_shop_is_waited_out()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("psfail");
        shop.AddProduct("DUP-1", priceTaxExcl: 5m, quantity: 5);
        var other = shop.AddProduct("OTHER", priceTaxExcl: 5m, quantity: 5);
        shop.AddCombination(other, "DUP-1", impactPrice: 0m, quantity: 5);
        shop.AddProduct("CAP-1", priceTaxExcl: 12m, quantity: 50);
        var missing = sandbox.TikTok.CreateOrder("psfail", TestOrders.Spec(("GHOST-9", 1, 5m)));
        var ambiguous = sandbox.TikTok.CreateOrder("psfail", TestOrders.Spec(("DUP-1", 1, 5m)));
        await sandbox.FetchAndWaitAsync("psfail");

        var missingView = await sandbox.GetOrderAsync("psfail", missing.Id);
        Assert.Equal("Failed", missingView.GetProperty("importState").GetString());
        Assert.Contains("GHOST-9", missingView.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("PrestaShop", missingView.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        var ambiguousView = await sandbox.GetOrderAsync("psfail", ambiguous.Id);
        Assert.Equal("SKU_AMBIGUOUS", ambiguousView.GetProperty("failureCode").GetString());
        Assert.Empty(shop.Orders);

        // A shared host answering 503 once: the read is retried after a back-off and the order goes through.
        shop.FailNextRequests(1);
        var ok = sandbox.TikTok.CreateOrder("psfail", TestOrders.Spec(("CAP-1", 1, 12m)));
        await sandbox.FetchAndWaitAsync("psfail");
        Assert.Equal("Imported", (await sandbox.GetOrderAsync("psfail", ok.Id)).GetProperty("importState").GetString());
        Assert.Single(shop.Orders);
        Assert.Equal(0, shop.PendingFaults);
    }

    [Fact]
    public async Task Bad_connections_are_refused_at_connect_time_with_a_message_naming_the_fix()
    {
        await using var sandbox = await StartAsync();

        async Task<(HttpStatusCode Status, string Body)> ConnectAsync(string shopId, SimPrestaShop shop, string? key = null, object? options = null)
        {
            var tiktokShop = sandbox.TikTok.AddShop(shopId);
            using var response = await sandbox.PutShopAsync(tiktokShop, new { platform = "prestashop", baseUrl = shop.BaseUrl.ToString(), apiKey = key ?? shop.ApiKey, options });
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var wrongKey = await ConnectAsync("psbad1", sandbox.PrestaShop.AddShop("bad1"), key: new string('Z', 32));
        Assert.Equal(HttpStatusCode.BadRequest, wrongKey.Status);
        Assert.Contains("refused the webservice key", wrongKey.Body, StringComparison.Ordinal);

        var disabled = await ConnectAsync("psbad2", sandbox.PrestaShop.AddShop("bad2", new PrestaShopShopOptions { WebserviceEnabled = false }));
        Assert.Equal(HttpStatusCode.BadRequest, disabled.Status);
        Assert.Contains("webservice is disabled", disabled.Body, StringComparison.Ordinal);

        var strippedShop = sandbox.PrestaShop.AddShop("bad3", new PrestaShopShopOptions { StripAuthorizationHeader = true });
        var stripped = await ConnectAsync("psbad3", strippedShop);
        Assert.Equal(HttpStatusCode.BadRequest, stripped.Status);
        Assert.Contains("SetEnvIf Authorization", stripped.Body, StringComparison.Ordinal);
        Assert.Contains("ws_key", stripped.Body, StringComparison.Ordinal);

        // The last resort the message offers works, and the key never appears in the logs.
        var viaQuery = await ConnectAsync("psbad3b", strippedShop, options: new { authInQuery = true });
        Assert.Equal(HttpStatusCode.OK, viaQuery.Status);

        var inactive = sandbox.PrestaShop.AddShop("bad4");
        inactive.SetPaymentModule("ps_checkpayment", "Payments by check", installed: true, active: false);
        var module = await ConnectAsync("psbad4", inactive);
        Assert.Equal(HttpStatusCode.BadRequest, module.Status);
        Assert.Contains("ps_checkpayment", module.Body, StringComparison.Ordinal);

        var badOption = await ConnectAsync("psbad5", sandbox.PrestaShop.AddShop("bad5"), options: new { orderStateOnImport = "2" });
        Assert.Equal(HttpStatusCode.BadRequest, badOption.Status);
        Assert.Contains("orderStateOnImport", badOption.Body, StringComparison.Ordinal);

        Assert.DoesNotContain(sandbox.Logs.Lines, l => l.Contains(strippedShop.ApiKey, StringComparison.Ordinal));
        var view = await sandbox.Api.GetStringAsync(new Uri("/api/shops/psbad3b", UriKind.Relative));
        Assert.DoesNotContain(strippedShop.ApiKey, view, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_after_import_moves_the_prestashop_order_to_cancelled_once_and_gives_the_stock_back()
    {
        await using var sandbox = await StartAsync();
        var (_, shop) = await sandbox.ConnectPrestaShopAsync("pscan", new PrestaShopShopOptions { OrderStates = [.. PrestaShopShopOptions.DefaultOrderStates(5)] });
        shop.AddProduct("CAP-1", priceTaxExcl: 12m, quantity: 50);
        var order = sandbox.TikTok.CreateOrder("pscan", TestOrders.Spec(("CAP-1", 2, 12m)));
        await sandbox.FetchAndWaitAsync("pscan");
        Assert.Equal(48, shop.StockOf("CAP-1"));

        sandbox.TikTok.Cancel(order.Id, "BUYER", "No longer needed");
        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(order.Id).UpdateTime);
        await sandbox.FetchAndWaitAsync("pscan");
        await sandbox.FetchAndWaitAsync("pscan");
        using (var again = await sandbox.Host.InvokeRawAsync("ProcessOrderMessage",
            StoreTestSupport.Invocation("pscan", order.Id, sandbox.TikTok.GetOrder(order.Id).UpdateTime, "m-pscan-again")))
        {
            Assert.True(again.IsSuccessStatusCode);
        }

        var cancelled = Assert.Single(shop.Orders);
        Assert.Equal(shop.OrderStateIds["PS_OS_CANCELED"], cancelled.CurrentState);
        Assert.Single(cancelled.OrderHistories, h => h.OrderStateId == shop.OrderStateIds["PS_OS_CANCELED"]);
        Assert.Equal(50, shop.StockOf("CAP-1"));
        Assert.Equal("CANCELLED", (await sandbox.GetOrderAsync("pscan", order.Id)).GetProperty("status").GetString());
    }

    /// <summary>What the merchant does in the back office: a new order state through the Webservice.</summary>
    private static async Task SetStateAsync(SimPrestaShop shop, long orderId, int stateId)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(shop.ApiUrl, "order_histories"))
        {
            Content = new StringContent($"<prestashop><order_history><id_order>{orderId}</id_order><id_order_state>{stateId}</id_order_state></order_history></prestashop>", Encoding.UTF8, "text/xml"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(shop.ApiKey + ":")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
