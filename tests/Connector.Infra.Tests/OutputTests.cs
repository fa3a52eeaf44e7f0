using System.Text.Json.Nodes;
using Connector.Infra.Tests.Arm;
using Connector.Infra.Tests.Support;

namespace Connector.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class OutputTests(InfraFixture infra)
{
    private readonly Deployment _deployment = infra.Evaluate();

    [Theory]
    [InlineData("webhookUrl", "/api/webhooks/tiktok")]
    [InlineData("orderPageUrl", "/api/app")]
    public void Url_outputs_point_at_the_function_app_host(string output, string path)
    {
        var url = Assert.IsType<Opaque>(_deployment.Outputs[output]);

        Assert.True(url.Reads(_deployment.FunctionApp.Id, "defaultHostName"), url.Text);
        Assert.StartsWith("https://{", url.Text, StringComparison.Ordinal);
        Assert.EndsWith($"}}{path}", url.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("webhookUrl", "TikTokWebhook", "post")]
    [InlineData("orderPageUrl", "App", "get")]
    public void Url_outputs_match_an_anonymous_http_function_route(string output, string function, string method)
    {
        var host = JsonNode.Parse(File.ReadAllText(Repo.File("host.json")))!;
        var prefix = host["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
        var trigger = JsonNode.Parse(File.ReadAllText(Repo.File("functions", function, "function.json")))!["bindings"]!
            .AsArray().Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        var route = trigger["route"]!.GetValue<string>().Replace("/{*path}", string.Empty, StringComparison.Ordinal);
        var url = Assert.IsType<Opaque>(_deployment.Outputs[output]);

        Assert.EndsWith($"}}/{prefix}/{route}", url.Text, StringComparison.Ordinal);
        Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>());
        Assert.Contains(method, trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void Outputs_name_the_resources_for_azd_and_scripts()
    {
        var outputs = _deployment.Outputs;
        var app = _deployment.FunctionApp;

        Assert.Equal(app.Name, outputs["functionAppName"]);
        Assert.Equal(app.Name, outputs["AZURE_FUNCTION_APP_NAME"]);
        Assert.Equal(ArmEnvironment.Default.ResourceGroupName, outputs["resourceGroupName"]);
        Assert.Equal(ArmEnvironment.Default.ResourceGroupName, outputs["AZURE_RESOURCE_GROUP"]);
        Assert.Equal(_deployment.The("Microsoft.Storage/storageAccounts").Name, outputs["storageAccountName"]);
        Assert.Equal(_deployment.The("Microsoft.ServiceBus/namespaces").Name, outputs["serviceBusNamespaceName"]);
        Assert.Equal(_deployment.The("Microsoft.KeyVault/vaults").Name, outputs["keyVaultName"]);
        Assert.Equal("orders", outputs["ordersQueueName"]);
        Assert.Equal("bulk", outputs["bulkQueueName"]);
    }

    [Fact]
    public void Resource_names_are_unique_per_environment_and_valid()
    {
        var other = infra.Evaluate(new Dictionary<string, object?> { ["environmentName"] = "prod" });
        var storage = _deployment.The("Microsoft.Storage/storageAccounts").Name;
        var vault = _deployment.The("Microsoft.KeyVault/vaults").Name;

        Assert.NotEqual(storage, other.The("Microsoft.Storage/storageAccounts").Name);
        Assert.Matches("^[a-z0-9]{3,24}$", storage);
        Assert.Matches("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", vault);
        Assert.InRange(_deployment.FunctionApp.Name.Length, 2, 60);
    }
}
