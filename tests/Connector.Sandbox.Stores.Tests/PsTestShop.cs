using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Connector.Sandbox.PrestaShop;

namespace Connector.Sandbox.Stores.Tests;

/// <summary>A started PrestaShop simulator with one shop, and a client that speaks the Webservice like a connector.</summary>
internal sealed class PsTestShop : IAsyncDisposable
{
    private PsTestShop(PrestaShopSimulator simulator, SimPrestaShop shop)
    {
        Simulator = simulator;
        Shop = shop;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public PrestaShopSimulator Simulator { get; }

    public SimPrestaShop Shop { get; }

    public HttpClient Http { get; }

    public static async Task<PsTestShop> StartAsync(PrestaShopShopOptions? options = null, TimeProvider? time = null)
    {
        var simulator = await PrestaShopSimulator.StartAsync(new PrestaShopSimulatorOptions { TimeProvider = time ?? TimeProvider.System });
        return new PsTestShop(simulator, simulator.AddShop("demo", options));
    }

    public sealed record Answer(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, string? ContentType)
    {
        public XElement Xml => XDocument.Parse(Body).Root!;

        public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!;

        /// <summary>The (code, message) pairs of a PrestaShop XML error body.</summary>
        public IReadOnlyList<(int Code, string Message)> Errors =>
            [.. Xml.Element("errors")!.Elements("error").Select(e => (int.Parse(e.Element("code")!.Value, CultureInfo.InvariantCulture), e.Element("message")!.Value))];
    }

    /// <summary>Sends a request to {shop}/api/{path}; auth: "basic" (default), "none", or "query" (?ws_key=).</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, string? body = null, string auth = "basic", string? key = null, bool json = false, string contentType = "application/xml")
    {
        key ??= Shop.ApiKey;
        var url = $"{Shop.ApiUrl.AbsoluteUri}{path}";
        if (auth == "query")
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "ws_key=" + Uri.EscapeDataString(key);
        }

        using var request = new HttpRequestMessage(method, new Uri(url));
        if (auth == "basic")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        }

        if (json)
        {
            request.Headers.Add("Output-Format", "JSON");
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await Http.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers, response.Content.Headers.ContentType?.ToString());
    }

    public Task<Answer> GetAsync(string path, bool json = false) => SendAsync(HttpMethod.Get, path, json: json);

    public Task<Answer> PostAsync(string resource, string entityXml) => SendAsync(HttpMethod.Post, resource, Envelope(entityXml));

    public static string Envelope(string entityXml) => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">{entityXml}</prestashop>";

    /// <summary>POSTs and returns the new id (asserting 201).</summary>
    public async Task<long> CreateAsync(string resource, string entityXml)
    {
        var answer = await PostAsync(resource, entityXml);
        Assert.True(answer.Status == HttpStatusCode.Created, $"{resource}: {(int)answer.Status} {answer.Body}");
        return long.Parse(answer.Xml.Elements().First().Element("id")!.Value, CultureInfo.InvariantCulture);
    }

    public Task<long> CreateCustomerAsync(string firstname = "Jane", string lastname = "Buyer") =>
        CreateAsync("customers", $"<customer><firstname>{firstname}</firstname><lastname>{lastname}</lastname><email>buyer@tiktok.example</email><passwd>tiktok-import</passwd><active>1</active></customer>");

    public Task<long> CreateAddressAsync(long customerId, int countryId = 8, int stateId = 0, string dni = "") =>
        CreateAsync("addresses", $"<address><id_customer>{customerId}</id_customer><id_country>{countryId}</id_country><id_state>{stateId}</id_state><alias>TikTok</alias><firstname>Jane</firstname><lastname>Buyer</lastname><address1>1 Rue de la Paix</address1><postcode>75002</postcode><city>Paris</city><dni>{dni}</dni></address>");

    public Task<long> CreateCartAsync(long customerId, long addressId, params (long productId, long attributeId, int quantity)[] rows) =>
        CreateCartAsync(customerId, addressId, giftMessage: null, rows);

    /// <summary>A cart; <paramref name="giftMessage"/> is where Connector puts its "TikTok Shop order {id}" marker.</summary>
    public Task<long> CreateCartAsync(long customerId, long addressId, string? giftMessage, params (long productId, long attributeId, int quantity)[] rows)
    {
        var items = string.Concat(rows.Select(r => $"<cart_row><id_product>{r.productId}</id_product><id_product_attribute>{r.attributeId}</id_product_attribute><id_address_delivery>{addressId}</id_address_delivery><quantity>{r.quantity}</quantity></cart_row>"));
        var gift = giftMessage is null ? string.Empty : $"<gift>0</gift><gift_message>{giftMessage}</gift_message>";
        return CreateAsync("carts", $"<cart><id_customer>{customerId}</id_customer><id_address_delivery>{addressId}</id_address_delivery><id_address_invoice>{addressId}</id_address_invoice><id_currency>1</id_currency><id_lang>1</id_lang><id_carrier>2</id_carrier>{gift}<associations><cart_rows>{items}</cart_rows></associations></cart>");
    }

    /// <summary>A whole order through the Webservice, paying the cart's own total (no Payment error); returns its id.</summary>
    public async Task<long> PlaceOrderAsync(long productId, int quantity, string? giftMessage = null)
    {
        var customer = await CreateCustomerAsync();
        var address = await CreateAddressAsync(customer);
        var cart = await CreateCartAsync(customer, address, giftMessage, (productId, 0, quantity));
        var answer = await PostAsync("orders", OrderXml(cart, customer, address, Shop.CartTotal(cart)));
        Assert.True(answer.Status == HttpStatusCode.Created, $"orders: {(int)answer.Status} {answer.Body}");
        return long.Parse(answer.Xml.Element("order")!.Element("id")!.Value, CultureInfo.InvariantCulture);
    }

    /// <summary>§1.3 step 4: a cart-scoped specific price (tax excluded).</summary>
    public Task<long> PinPriceAsync(long cartId, long productId, long attributeId, decimal priceTaxExcl) =>
        CreateAsync("specific_prices", $"<specific_price><id_shop>1</id_shop><id_cart>{cartId}</id_cart><id_product>{productId}</id_product><id_product_attribute>{attributeId}</id_product_attribute><id_currency>0</id_currency><id_country>0</id_country><id_group>0</id_group><id_customer>0</id_customer><price>{priceTaxExcl.ToString(CultureInfo.InvariantCulture)}</price><from_quantity>1</from_quantity><reduction>0</reduction><reduction_tax>0</reduction_tax><reduction_type>amount</reduction_type><from>0000-00-00 00:00:00</from><to>0000-00-00 00:00:00</to></specific_price>");

    /// <summary>§1.3 step 5: the order XML of the reference.</summary>
    public static string OrderXml(long cartId, long customerId, long addressId, decimal totalPaid, string module = "ps_checkpayment")
    {
        var total = totalPaid.ToString("0.00", CultureInfo.InvariantCulture);
        return $"<order><id_address_delivery>{addressId}</id_address_delivery><id_address_invoice>{addressId}</id_address_invoice><id_cart>{cartId}</id_cart><id_currency>1</id_currency><id_lang>1</id_lang><id_customer>{customerId}</id_customer><id_carrier>2</id_carrier><module>{module}</module><payment>TikTok Shop</payment><current_state>2</current_state><total_paid>{total}</total_paid><total_paid_real>{total}</total_paid_real><total_products>{total}</total_products><total_products_wt>{total}</total_products_wt><conversion_rate>1</conversion_rate></order>";
    }

    /// <summary>Customer, FR address, cart with <paramref name="quantity"/> of the product, price pinned when asked.</summary>
    public async Task<(long Customer, long Address, long Cart)> PrepareCartAsync(long productId, int quantity, decimal? pinnedPriceTaxExcl = null)
    {
        var customer = await CreateCustomerAsync();
        var address = await CreateAddressAsync(customer);
        var cart = await CreateCartAsync(customer, address, (productId, 0, quantity));
        if (pinnedPriceTaxExcl is { } price)
        {
            await PinPriceAsync(cart, productId, 0, price);
        }

        return (customer, address, cart);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
