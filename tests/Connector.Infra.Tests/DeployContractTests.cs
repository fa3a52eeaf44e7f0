using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Connector.Infra.Tests.Support;

namespace Connector.Infra.Tests;

/// <summary>What the deployment relies on in the repository: host.json, the package step, azure.yaml.</summary>
public sealed partial class DeployContractTests
{
    private static JsonObject HostJson => JsonNode.Parse(File.ReadAllText(Repo.File("host.json")))!.AsObject();

    [Fact]
    public void Host_json_starts_the_self_contained_handler_and_proxies_http()
    {
        var customHandler = HostJson["customHandler"]!.AsObject();

        Assert.Equal("Connector.Handler", customHandler["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(customHandler["enableProxyingHttpRequest"]!.GetValue<bool>());
    }

    [Fact]
    public void Host_json_uses_the_v4_extension_bundle_that_flex_requires()
    {
        var bundle = HostJson["extensionBundle"]!.AsObject();

        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", bundle["id"]!.GetValue<string>());
        Assert.Equal("[4.*, 5.0.0)", bundle["version"]!.GetValue<string>());
    }

    [Fact]
    public void Build_package_step_writes_the_zip_that_azd_deploys()
    {
        var build = File.ReadAllText(Repo.File("build.sh"));
        var azure = File.ReadAllText(Repo.File("azure.yaml"));

        Assert.Contains("artifacts/functionapp.zip", build, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s*dist:\s*artifacts/functionapp\.zip\s*$", azure);
        Assert.Matches(@"(?m)^\s*run:\s*\./build\.sh package\s*$", azure);
        Assert.Matches(@"(?m)^\s*prepackage:\s*$", azure);
    }

    [Fact]
    public void Azure_yaml_deploys_the_connector_service_to_the_tagged_function_app()
    {
        var azure = File.ReadAllText(Repo.File("azure.yaml"));
        var service = ServiceBlock().Match(azure);

        Assert.True(service.Success, "azure.yaml has no services.connector block");
        Assert.Matches(@"(?m)^\s+host:\s*function\s*$", service.Value);
        Assert.Matches(@"(?m)^\s+language:\s*custom\s*$", service.Value);
        Assert.Matches(@"(?m)^\s+project:\s*\.\s*$", service.Value);
        // main.bicep passes the same name to the app's azd-service-name tag (checked in FunctionAppTests).
        Assert.Contains("azdServiceName: 'connector'", File.ReadAllText(Path.Combine(Repo.Infra, "main.bicep")), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?ms)^services:\s*\n\s+connector:\s*\n(.*)")]
    private static partial Regex ServiceBlock();
}
