using System.Net;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.Tests;

/// <summary>
/// Every request is validated against the real 2026-01 Admin schema and rejected the way Shopify rejects it
/// (HTTP 200, graphql-ruby messages and codes), so a client cannot pass here and fail on a real shop.
/// </summary>
public sealed class SchemaValidationTests
{
    [Fact]
    public async Task Unknown_field_answers_undefinedField_with_location_and_path()
    {
        await using var shop = await TestShop.StartAsync();

        var (status, body) = await shop.PostAsync("""
            query Find {
              productVariants(first: 1) {
                nodes { id skuu }
              }
            }
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["data"]);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Field 'skuu' doesn't exist on type 'ProductVariant'", (string?)error["message"]);
        Assert.Equal("undefinedField", (string?)error["extensions"]!["code"]);
        Assert.Equal("ProductVariant", (string?)error["extensions"]!["typeName"]);
        Assert.Equal("skuu", (string?)error["extensions"]!["fieldName"]);
        Assert.Equal("""[{"line":3,"column":16}]""", error["locations"]!.ToJsonString());
        Assert.Equal("""["query Find","productVariants","nodes","skuu"]""", error["path"]!.ToJsonString());
    }

    [Fact]
    public async Task Unknown_field_inside_an_inline_fragment_is_reported_on_the_fragment_type()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ shop { ... on Shop { nam } } }""");

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Field 'nam' doesn't exist on type 'Shop'", (string?)error["message"]);
        Assert.Equal("""["query","shop","... on Shop","nam"]""", error["path"]!.ToJsonString());
    }

    [Fact]
    public async Task Unknown_argument_answers_argumentNotAccepted()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ orders(first: 1, filter: "x") { nodes { id } } }""");

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Field 'orders' doesn't accept argument 'filter'", (string?)error["message"]);
        Assert.Equal("argumentNotAccepted", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public async Task Missing_required_argument_answers_missingRequiredArguments()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ order { id } }""");

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Field 'order' is missing required arguments: id", (string?)error["message"]);
        Assert.Equal("missingRequiredArguments", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public async Task Literal_of_the_wrong_type_answers_argumentLiteralsIncompatible()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ orders(first: "ten") { nodes { id } } }""");

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Argument 'first' on Field 'orders' has an invalid value (\"ten\"). Expected type 'Int'.", (string?)error["message"]);
        Assert.Equal("argumentLiteralsIncompatible", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public async Task Variable_of_an_unknown_type_answers_variableRequiresValidType()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync(
            """mutation($order: OrderNewInput!) { orderCreate(order: $order) { userErrors { message } } }""",
            new { order = new { } });

        var codes = body["errors"]!.AsArray().Select(e => (string?)e!["extensions"]!["code"]).ToList();
        Assert.Contains("variableRequiresValidType", codes);
        Assert.Contains(body["errors"]!.AsArray(), e => (string?)e!["message"] == "OrderNewInput isn't a defined input type (on $order)");
    }

    [Fact]
    public async Task Variable_of_another_input_type_answers_variableMismatch()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync(
            """mutation($order: OrderInput!) { orderCreate(order: $order) { userErrors { message } } }""",
            new { order = new { id = "gid://shopify/Order/1" } });

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Type mismatch on variable $order and argument order (OrderInput! / OrderCreateOrderInput!)", (string?)error["message"]);
        Assert.Equal("variableMismatch", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public async Task Variable_with_a_field_the_input_type_lacks_is_rejected_before_anything_runs()
    {
        await using var shop = await TestShop.StartAsync();
        var variant = shop.Shop.AddProduct("Cap", ("CAP-1", 12m, 5))[0];

        var (status, body) = await shop.PostAsync(TestShop.OrderCreate, new
        {
            order = new { lineItems = new[] { new { variantId = variant, quantity = 1 } }, sourceIdentifer = "576" },
            options = new { inventoryBehavior = "DECREMENT_IGNORING_POLICY" },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["data"]);
        var messages = body["errors"]!.AsArray().Select(e => (string?)e!["message"]).ToList();
        Assert.Contains("Variable $order of type OrderCreateOrderInput! was provided invalid value for sourceIdentifer (Field is not defined on OrderCreateOrderInput)", messages);
        Assert.Contains("Variable $options of type OrderCreateOptionsInput was provided invalid value for inventoryBehavior (Field is not defined on OrderCreateOptionsInput)", messages);
        Assert.Empty(shop.Shop.Orders);
        Assert.Equal(5, shop.Shop.InventoryOf("CAP-1"));
    }

    [Fact]
    public async Task Variable_with_a_bad_enum_value_or_missing_required_field_is_rejected()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync(TestShop.OrderCreate, new
        {
            order = new { financialStatus = "SETTLED", lineItems = new[] { new { variantId = "gid://shopify/ProductVariant/1" } } },
        });

        var error = Assert.Single(body["errors"]!.AsArray())!;
        var problems = error["extensions"]!["problems"]!.AsArray().Select(p => p!["path"]!.ToJsonString()).ToList();
        Assert.Contains("""["financialStatus"]""", problems);
        Assert.Contains("""["lineItems",0,"quantity"]""", problems);
    }

    [Fact]
    public async Task Missing_non_null_variable_is_rejected()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""query($id: ID!) { order(id: $id) { id } }""");

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Variable $id of type ID! was provided invalid value", (string?)error["message"]);
        Assert.Equal("Expected value to not be null", (string?)error["extensions"]!["problems"]![0]!["explanation"]);
    }

    [Fact]
    public async Task Nullable_variable_in_a_non_null_position_answers_variableMismatch()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""query($id: ID) { order(id: $id) { id } }""", new { id = "gid://shopify/Order/1" });

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Nullability mismatch on variable $id and argument id (ID / ID!)", (string?)error["message"]);
        Assert.Equal("variableMismatch", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public async Task Declared_but_unused_and_used_but_undeclared_variables_are_rejected()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""query Q($unused: String) { order(id: $id) { id } }""");

        var codes = body["errors"]!.AsArray().Select(e => (string?)e!["extensions"]!["code"]).Order().ToList();
        Assert.Equal(new[] { "variableNotDefined", "variableNotUsed" }, codes);
    }

    [Fact]
    public async Task Selections_on_a_scalar_and_missing_selections_on_an_object_answer_selectionMismatch()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ shop { name { first } } order(id: "gid://shopify/Order/1") }""");

        var messages = body["errors"]!.AsArray().Select(e => (string?)e!["message"]).ToList();
        Assert.Contains("Selections can't be made on scalars (field 'name' returns String but has selections [\"first\"])", messages);
        Assert.Contains("Field must have selections (field 'order' returns Order but has no selections. Did you mean 'order { ... }'?)", messages);
    }

    [Fact]
    public async Task Unknown_fragment_and_unknown_type_condition_are_rejected()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ shop { ...Missing ... on Shopp { id } } }""");

        var codes = body["errors"]!.AsArray().Select(e => (string?)e!["extensions"]!["code"]).Order().ToList();
        Assert.Equal(new[] { "undefinedType", "useAndDefineFragment" }, codes);
    }

    [Fact]
    public async Task Fragment_on_a_type_that_cannot_occur_there_is_rejected()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ order(id: "gid://shopify/Order/1") { ... on Product { title } } }""");

        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("Fragment on Product can't be spread inside Order", (string?)error["message"]);
        Assert.Equal("fragmentSpreadTypeMismatch", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public async Task Syntax_error_answers_an_error_with_its_location()
    {
        await using var shop = await TestShop.StartAsync();

        var (status, body) = await shop.PostAsync("{ shop { name }");

        Assert.Equal(HttpStatusCode.OK, status);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.StartsWith("syntax error", (string?)error["message"], StringComparison.Ordinal);
        Assert.NotNull(error["locations"]);
    }

    [Fact]
    public async Task Field_that_exists_in_the_schema_but_is_not_simulated_is_reported_not_silently_nulled()
    {
        await using var shop = await TestShop.StartAsync();

        var (_, body) = await shop.PostAsync("""{ shop { name billingAddress { city } } }""");

        Assert.Null(body["data"]);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("SIMULATOR_NOT_IMPLEMENTED", (string?)error["extensions"]!["code"]);
        Assert.Equal("billingAddress", (string?)error["extensions"]!["fieldName"]);
    }

    [Fact]
    public async Task Several_operations_need_an_operation_name_and_the_named_one_runs()
    {
        await using var shop = await TestShop.StartAsync();
        const string document = "query A { shop { name } } query B { shop { currencyCode } }";

        var (_, ambiguous) = await shop.PostAsync(document);
        var (_, named) = await shop.PostAsync(document, operationName: "B");

        Assert.Equal("An operation name is required", (string?)ambiguous["errors"]![0]!["message"]);
        Assert.Equal("""{"shop":{"currencyCode":"USD"}}""", named["data"]!.ToJsonString());
    }

    [Fact]
    public void Embedded_schema_is_the_shared_reference_schema()
    {
        // The simulator embeds a copy of shared/reference/shopify/admin-2026-01.schema.graphql; it must not drift.
        var shared = FindShared("shared/reference/shopify/admin-2026-01.schema.graphql");
        if (shared is null)
        {
            return; // shared/ is not beside this checkout.
        }

        using var stream = typeof(ShopifySimulator).Assembly.GetManifestResourceStream("Connector.Sandbox.Shopify.admin-2026-01.schema.graphql")!;
        using var reader = new StreamReader(stream);
        Assert.Equal(File.ReadAllText(shared), reader.ReadToEnd());
    }

    private static string? FindShared(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
