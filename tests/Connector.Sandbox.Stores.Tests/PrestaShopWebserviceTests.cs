using System.Net;
using Connector.Sandbox.PrestaShop;

namespace Connector.Sandbox.Stores.Tests;

/// <summary>store-apis.md §1.1 (activation, key, Basic auth, stripped header), §1.2 (XML in, JSON out, list parameters), §1.6 lookup.</summary>
public sealed class PrestaShopWebserviceTests
{
    [Fact]
    public async Task Xml_body_in_and_json_out_round_trip_a_customer()
    {
        await using var ps = await PsTestShop.StartAsync();

        var created = await ps.SendAsync(HttpMethod.Post, "customers", PsTestShop.Envelope(
            "<customer><firstname>Jane</firstname><lastname>Buyer</lastname><email>buyer@tiktok.example</email><passwd>tiktok-import</passwd></customer>"), json: true);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.StartsWith("application/json", created.ContentType, StringComparison.Ordinal);
        var customer = created.Json["customer"]!;
        var id = (long)customer["id"]!;
        Assert.Equal("Jane", (string)customer["firstname"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)customer["secure_key"]!); // §1.3 step 1: read secure_key back

        var asJson = await ps.SendAsync(HttpMethod.Get, $"customers/{id}?output_format=JSON");
        var asXml = await ps.GetAsync($"customers/{id}");
        Assert.Equal("Buyer", (string)asJson.Json["customer"]!["lastname"]!);
        Assert.Equal("Buyer", asXml.Xml.Element("customer")!.Element("lastname")!.Value);
        Assert.Contains("<lastname><![CDATA[Buyer]]></lastname>", asXml.Body, StringComparison.Ordinal);
        Assert.Equal(id, ps.Shop.Customers.Single().Id);
    }

    [Fact]
    public async Task Json_request_body_is_refused_with_the_xml_parse_error()
    {
        await using var ps = await PsTestShop.StartAsync();

        var answer = await ps.SendAsync(HttpMethod.Post, "customers",
            """{"customer":{"firstname":"Jane","lastname":"Buyer","email":"b@x.io","passwd":"secret12"}}""", contentType: "application/json");

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        var (code, message) = Assert.Single(answer.Errors);
        Assert.Equal(127, code);
        Assert.StartsWith("XML error : String could not be parsed as XML", message, StringComparison.Ordinal);
        Assert.Empty(ps.Shop.Customers);
    }

    [Fact]
    public async Task Filter_on_reference_is_an_exact_case_insensitive_match_and_percent_makes_it_a_prefix()
    {
        await using var ps = await PsTestShop.StartAsync();
        var cap = ps.Shop.AddProduct("CAP-1", 10m, 5);
        ps.Shop.AddProduct("CAP-10", 10m, 5);
        var tee = ps.Shop.AddProduct("TEE", 20m, 5);
        var teeRed = ps.Shop.AddCombination(tee, "TEE-RED", 1m, 3);

        var exact = await ps.GetAsync("products?filter[reference]=[CAP-1]&display=[id,reference]", json: true);
        var lower = await ps.GetAsync("products?filter[reference]=[cap-1]&display=[id,reference]", json: true);
        var prefix = await ps.GetAsync("products?filter[reference]=[CAP]%25&display=[id,reference]", json: true);
        var none = await ps.GetAsync("products?filter[reference]=[NOPE]&display=[id,reference]", json: true);
        var combination = await ps.GetAsync("combinations?filter[reference]=[TEE-RED]&display=[id,id_product,reference]", json: true);

        var hit = Assert.Single(exact.Json["products"]!.AsArray());
        Assert.Equal(cap, (long)hit!["id"]!);
        Assert.Equal("CAP-1", (string)hit["reference"]!);
        Assert.Single(lower.Json["products"]!.AsArray());
        Assert.Equal(2, prefix.Json["products"]!.AsArray().Count);
        Assert.Equal("[]", none.Body); // json_encode of an empty PHP array
        var combo = Assert.Single(combination.Json["combinations"]!.AsArray());
        Assert.Equal(teeRed, (long)combo!["id"]!);
        Assert.Equal(tee.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)combo["id_product"]!);
    }

    [Fact]
    public async Task List_without_display_gives_ids_with_links_and_limit_pages()
    {
        await using var ps = await PsTestShop.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            ps.Shop.AddProduct($"SKU-{i}", 1m, 1);
        }

        var page = await ps.GetAsync("products?limit=2,2&sort=[id_DESC]");

        var ids = page.Xml.Element("products")!.Elements("product").Select(p => (string)p.Attribute("id")!).ToList();
        Assert.Equal(["3", "2"], ids);
        Assert.All(page.Xml.Element("products")!.Elements("product"), p => Assert.NotNull(p.Attribute(System.Xml.Linq.XName.Get("href", "http://www.w3.org/1999/xlink"))));
    }

    [Fact]
    public async Task Unknown_filter_field_and_unknown_resource_answer_400_with_did_you_mean()
    {
        await using var ps = await PsTestShop.StartAsync();

        var filter = await ps.GetAsync("products?filter[sku]=[X]");
        var resource = await ps.GetAsync("product");

        Assert.Equal(HttpStatusCode.BadRequest, filter.Status);
        Assert.Equal(32, filter.Errors.Single().Code);
        Assert.Equal(HttpStatusCode.BadRequest, resource.Status);
        Assert.StartsWith("Resource of type \"product\" does not exists. Did you mean: \"products\"?", resource.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_or_wrong_key_answers_401_with_prestashop_errors_and_the_basic_realm()
    {
        await using var ps = await PsTestShop.StartAsync();

        var none = await ps.SendAsync(HttpMethod.Get, "products", auth: "none");
        var shortKey = await ps.SendAsync(HttpMethod.Get, "products", key: "ABC");
        var wrong = await ps.SendAsync(HttpMethod.Get, "products", key: new string('Z', 32));

        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal((16, "Please enter the authentication key as the login. No password required"), none.Errors.Single());
        Assert.Contains("Basic realm=", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(18, shortKey.Errors.Single().Code);
        Assert.Equal([20, 21], wrong.Errors.Select(e => e.Code));
        Assert.Equal(32, ps.Shop.ApiKey.Length);
    }

    [Fact]
    public async Task Stripped_authorization_header_arrives_unauthenticated_while_ws_key_still_works()
    {
        await using var ps = await PsTestShop.StartAsync(new PrestaShopShopOptions { StripAuthorizationHeader = true });

        var header = await ps.SendAsync(HttpMethod.Get, "products");
        var query = await ps.SendAsync(HttpMethod.Get, "products", auth: "query");

        Assert.Equal(HttpStatusCode.Unauthorized, header.Status);
        Assert.Equal(16, header.Errors.Single().Code);
        Assert.Equal(HttpStatusCode.OK, query.Status);
        Assert.True(query.Headers.Contains("PSWS-Version"));
        Assert.DoesNotContain(ps.Shop.Requests, r => r.Query.Contains(ps.Shop.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disabled_webservice_answers_503_before_looking_at_the_key()
    {
        await using var ps = await PsTestShop.StartAsync(new PrestaShopShopOptions { WebserviceEnabled = false });

        var answer = await ps.GetAsync("products");
        var noKey = await ps.SendAsync(HttpMethod.Get, "products", auth: "none");
        ps.Shop.WebserviceEnabled = true;
        var enabled = await ps.GetAsync("products");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Equal((22, "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office"), answer.Errors.Single());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noKey.Status);
        Assert.Equal(HttpStatusCode.OK, enabled.Status);
    }

    [Fact]
    public async Task Stock_availables_refuse_post_and_accept_put()
    {
        await using var ps = await PsTestShop.StartAsync();
        var product = ps.Shop.AddProduct("CAP", 10m, 4);
        var stockId = (long)(await ps.GetAsync($"stock_availables?filter[id_product]=[{product}]&display=[id]", json: true)).Json["stock_availables"]![0]!["id"]!;

        var post = await ps.PostAsync("stock_availables", "<stock_available><id_product>1</id_product></stock_available>");
        var put = await ps.SendAsync(HttpMethod.Put, $"stock_availables/{stockId}", PsTestShop.Envelope(
            $"<stock_available><id>{stockId}</id><id_product>{product}</id_product><id_product_attribute>0</id_product_attribute><quantity>9</quantity><depends_on_stock>0</depends_on_stock><out_of_stock>2</out_of_stock></stock_available>"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.Status);
        Assert.Equal(101, post.Errors.Single().Code);
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal(9, ps.Shop.StockOf("CAP"));
    }

    [Theory]
    [InlineData("J0hn", false)]
    [InlineData("John!", false)]
    [InlineData("J.Smith", false)]
    [InlineData("J. Smith", true)]
    [InlineData("Anne-Marie O'Neil", true)]
    [InlineData("Zoë", true)]
    public async Task Customer_names_follow_the_isName_rule(string firstname, bool accepted)
    {
        await using var ps = await PsTestShop.StartAsync();

        var answer = await ps.PostAsync("customers", $"<customer><firstname>{firstname}</firstname><lastname>Buyer</lastname><email>b@tiktok.example</email><passwd>secret12</passwd></customer>");

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, answer.Status);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal((85, "Validation error: \"Property Customer->firstname is not valid\""), answer.Errors.Single());
        }
    }

    [Fact]
    public async Task Missing_required_field_and_empty_required_field_give_codes_41_and_85()
    {
        await using var ps = await PsTestShop.StartAsync();

        var missing = await ps.PostAsync("customers", "<customer><firstname>Jane</firstname><email>b@tiktok.example</email><passwd>secret12</passwd></customer>");
        var empty = await ps.PostAsync("customers", "<customer><firstname>Jane</firstname><lastname></lastname><email>b@tiktok.example</email><passwd>secret12</passwd></customer>");

        Assert.Equal((41, "parameter \"lastname\" required"), missing.Errors.Single());
        Assert.Equal((85, "Validation error: \"Property Customer->lastname is empty.\""), empty.Errors.Single());
    }

    [Fact]
    public async Task Addresses_need_a_state_where_the_country_has_states_and_a_dni_where_required()
    {
        await using var ps = await PsTestShop.StartAsync();
        var customer = await ps.CreateCustomerAsync();

        var usWithoutState = await ps.PostAsync("addresses", $"<address><id_customer>{customer}</id_customer><id_country>21</id_country><alias>a</alias><firstname>J</firstname><lastname>B</lastname><address1>1 Main St</address1><city>Austin</city></address>");
        var esWithoutDni = await ps.PostAsync("addresses", $"<address><id_customer>{customer}</id_customer><id_country>6</id_country><id_state>339</id_state><alias>a</alias><firstname>J</firstname><lastname>B</lastname><address1>Calle 1</address1><city>Madrid</city></address>");
        var digitsInName = await ps.PostAsync("addresses", $"<address><id_customer>{customer}</id_customer><id_country>8</id_country><alias>a</alias><firstname>J</firstname><lastname>B2</lastname><address1>1 Rue</address1><city>Paris</city></address>");
        var usWithState = await ps.CreateAddressAsync(customer, countryId: 21, stateId: 43);

        Assert.Equal(HttpStatusCode.BadRequest, usWithoutState.Status);
        Assert.Contains("must have a state selected", usWithoutState.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("identification number", esWithoutDni.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal("Validation error: \"Property Address->lastname is not valid\"", digitsInName.Errors.Single().Message);
        Assert.True(usWithState > 0);
    }

    [Fact]
    public async Task Front_office_module_route_tells_whether_a_payment_module_is_usable()
    {
        await using var ps = await PsTestShop.StartAsync();
        ps.Shop.SetPaymentModule("ps_wirepayment", "Bank transfer", active: false);

        async Task<HttpStatusCode> Probe(string module)
        {
            using var response = await ps.Http.GetAsync(new Uri($"{ps.Shop.BaseUrl}/index.php?fc=module&module={module}&controller=validation"));
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Found, await Probe("ps_checkpayment"));
        Assert.Equal(HttpStatusCode.NotFound, await Probe("ps_wirepayment"));
        Assert.Equal(HttpStatusCode.NotFound, await Probe("mysource"));
    }

    [Fact]
    public async Task Synopsis_schema_marks_required_fields_and_formats()
    {
        await using var ps = await PsTestShop.StartAsync();

        var synopsis = await ps.GetAsync("orders?schema=synopsis");

        var module = synopsis.Xml.Element("order")!.Element("module")!;
        Assert.Equal("true", (string?)module.Attribute("required"));
        Assert.Equal("isModuleName", (string?)module.Attribute("format"));
    }
}
