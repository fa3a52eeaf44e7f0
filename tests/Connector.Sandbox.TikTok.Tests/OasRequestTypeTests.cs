using System.Text.Json;

namespace Connector.Sandbox.TikTok.Tests;

/// <summary>
/// Every body property of the simulated write and search operations, sent with a JSON type other than its OAS type, is
/// refused with 36009004 naming the property (§8.1 "param ..." messages; §11 step 10 body validation), before any
/// business rule runs.
/// </summary>
public sealed class OasRequestTypeTests
{
    private static readonly (string File, string Path)[] Operations =
    [
        ("return_refund.json", "/return_refund/202309/cancellations"),
        ("return_refund.json", "/return_refund/202309/cancellations/search"),
        ("return_refund.json", "/return_refund/202309/cancellations/{cancel_id}/reject"),
        ("return_refund.json", "/return_refund/202309/returns/search"),
        ("return_refund.json", "/return_refund/202309/returns/{return_id}/approve"),
        ("return_refund.json", "/return_refund/202309/returns/{return_id}/reject"),
        ("order.json", "/order/202406/orders/external_orders"),
        ("product.json", "/product/202309/products/search"),
        ("product.json", "/product/202309/products/{product_id}/inventory/update"),
        ("product.json", "/product/202309/products/{product_id}/prices/update"),
    ];

    public static TheoryData<string, string, string, string> Properties()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (file, path) in Operations)
        {
            using var oas = Oas.Load(file);
            foreach (var property in oas.RequestSchema(path, "post").GetProperty("properties").EnumerateObject())
            {
                data.Add(file, path, property.Name, property.Value.GetProperty("type").GetString()!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public async Task A_body_property_of_the_wrong_json_type_is_refused_with_36009004(string file, string path, string property, string type)
    {
        await using var api = await ShopApi.StartAsync();
        var wrong = type switch
        {
            "string" => "123",
            "integer" or "number" => "\"12\"",
            "boolean" => "\"true\"",
            "array" => "\"x\"",
            _ => "[1]",
        };

        var response = await api.PostAsync(path.Replace("{cancel_id}", "1", StringComparison.Ordinal).Replace("{return_id}", "1", StringComparison.Ordinal).Replace("{product_id}", "1", StringComparison.Ordinal),
            $$"""{"{{property}}":{{wrong}}}""", ("page_size", "10"));

        Assert.True(response.Code == 36009004, $"{file} {path} {property}: {response.Code} {response.Message}");
        Assert.Contains(property, response.Message, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, response.Data.ValueKind);
    }

    public static TheoryData<string, string> MalformedBodies()
    {
        var data = new TheoryData<string, string>();
        foreach (var (_, path) in Operations)
        {
            data.Add(path, "[1]");
            data.Add(path, "{\"a\":");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_body_that_is_not_a_json_object_is_refused_with_36009004_invalid_param_error(string path, string body)
    {
        await using var api = await ShopApi.StartAsync();

        var response = await api.PostAsync(path.Replace("{cancel_id}", "1", StringComparison.Ordinal).Replace("{return_id}", "1", StringComparison.Ordinal).Replace("{product_id}", "1", StringComparison.Ordinal),
            body, ("page_size", "10"));

        Assert.Equal((36009004, "invalid param error"), (response.Code, response.Message));
    }
}
