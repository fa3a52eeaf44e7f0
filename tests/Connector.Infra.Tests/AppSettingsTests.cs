using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Connector.Infra.Tests.Arm;
using Connector.Infra.Tests.Support;

namespace Connector.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed partial class AppSettingsTests(InfraFixture infra)
{
    /// <summary>design §6.1 (identity-based forms) plus the identity and Application Insights settings.</summary>
    private static readonly string[] ExpectedSettings =
    [
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "ServiceBusConnection__fullyQualifiedNamespace",
        "ServiceBusConnection__credential",
        "ServiceBusConnection__clientId",
        "OrdersQueueName",
        "FetchSchedule",
        "TikTok__ApiBaseUrl",
        "TikTok__AuthBaseUrl",
        "TikTok__AppKey",
        "TikTok__AppSecret",
        "TikTok__ServiceId",
        "AZURE_CLIENT_ID",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    private readonly Deployment _deployment = infra.Evaluate();

    [Fact]
    public void App_settings_are_exactly_the_design_settings_in_their_identity_based_form()
    {
        Assert.Equal(ExpectedSettings.Order(StringComparer.Ordinal), _deployment.AppSettings.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("ServiceBusConnection")]
    public void App_settings_leave_out_what_flex_deprecates_and_key_based_connections(string name)
    {
        Assert.DoesNotContain(name, _deployment.AppSettings.Keys);
    }

    [Fact]
    public void Host_and_handler_connect_to_storage_and_service_bus_with_the_user_assigned_identity()
    {
        var settings = _deployment.AppSettings;
        var identity = _deployment.Identity;
        var storage = _deployment.The("Microsoft.Storage/storageAccounts");
        var serviceBus = _deployment.The("Microsoft.ServiceBus/namespaces");

        Assert.Equal(storage.Name, settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("managedidentity", settings["ServiceBusConnection__credential"]);
        foreach (var name in new[] { "AzureWebJobsStorage__clientId", "ServiceBusConnection__clientId", "AZURE_CLIENT_ID" })
        {
            var clientId = Assert.IsType<Opaque>(settings[name]);
            Assert.True(clientId.Reads(identity.Id, "clientId"), $"{name} = {clientId.Text}");
        }

        var fqdn = Assert.IsType<Opaque>(settings["ServiceBusConnection__fullyQualifiedNamespace"]);
        Assert.True(fqdn.Reads(serviceBus.Id, "serviceBusEndpoint"), fqdn.Text);
    }

    [Fact]
    public void Queue_schedule_and_tiktok_settings_match_the_deployed_queue_and_the_design_defaults()
    {
        var settings = _deployment.AppSettings;
        var queue = _deployment.The("Microsoft.ServiceBus/namespaces/queues");

        Assert.Equal(queue.Name.Split('/')[1], settings["OrdersQueueName"]);
        Assert.Equal("orders", settings["OrdersQueueName"]);
        Assert.Equal("0 */5 * * * *", settings["FetchSchedule"]);
        Assert.Equal("https://open-api.tiktokglobalshop.com", settings["TikTok__ApiBaseUrl"]);
        Assert.Equal("https://auth.tiktok-shops.com", settings["TikTok__AuthBaseUrl"]);
        Assert.Equal("test-app-key", settings["TikTok__AppKey"]);
    }

    [Fact]
    public void Tiktok_app_secret_setting_is_a_key_vault_reference_to_the_written_secret()
    {
        var vault = _deployment.The("Microsoft.KeyVault/vaults");
        var secret = Assert.Single(_deployment.OfType("Microsoft.KeyVault/vaults/secrets"), s => s.Name.EndsWith("/tiktok-app-secret", StringComparison.Ordinal));

        Assert.Equal($"@Microsoft.KeyVault(VaultName={vault.Name};SecretName={secret.Name.Split('/')[1]})",
            _deployment.AppSettings["TikTok__AppSecret"]);
        Assert.Equal(_deployment.Identity.Id, _deployment.FunctionApp.Get("properties.keyVaultReferenceIdentity"));
    }

    [Fact]
    public void Application_insights_settings_use_entra_auth_with_the_identity()
    {
        var settings = _deployment.AppSettings;
        var insights = _deployment.The("Microsoft.Insights/components");

        var connection = Assert.IsType<Opaque>(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.True(connection.Reads(insights.Id, "ConnectionString"), connection.Text);
        var authentication = Assert.IsType<Opaque>(settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.True(authentication.Reads(_deployment.Identity.Id, "clientId"), authentication.Text);
        Assert.Matches(@"^ClientId=\{[^}]+\.clientId\};Authorization=AAD$", authentication.Text);
    }

    [Fact]
    public void No_app_setting_or_output_carries_a_literal_secret()
    {
        foreach (var (name, value) in _deployment.AppSettings)
        {
            var text = value switch
            {
                string s => s,
                Opaque o => o.Text,
                _ => throw new InvalidOperationException($"{name} has an unexpected value {value}"),
            };
            Assert.DoesNotContain(InfraFixture.SecretMarker, text, StringComparison.Ordinal);
            Assert.DoesNotMatch(KeyMaterial(), text);
        }

        foreach (var (name, value) in _deployment.Outputs)
        {
            Assert.False(value is string s && s.Contains(InfraFixture.SecretMarker, StringComparison.Ordinal), name);
        }

        // The function app's module never even receives a secure parameter.
        var functionApp = _deployment.FunctionApp.Scope.Template["parameters"]!.AsObject();
        Assert.DoesNotContain(functionApp, p => p.Value!["type"]!.GetValue<string>() is "securestring" or "secureObject");
    }

    [Fact]
    public void Every_setting_a_function_json_binding_names_is_provided()
    {
        var settings = _deployment.AppSettings;
        var folders = Directory.EnumerateDirectories(Repo.File("functions"))
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .ToList();
        Assert.NotEmpty(folders);

        foreach (var folder in folders)
        {
            var bindings = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "function.json")))!["bindings"]!.AsArray();
            foreach (var binding in bindings.Select(b => b!.AsObject()))
            {
                foreach (var (key, value) in binding)
                {
                    if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
                    {
                        continue;
                    }

                    foreach (Match match in SettingReference().Matches(text))
                    {
                        Assert.True(settings.ContainsKey(match.Groups[1].Value),
                            $"{Path.GetFileName(folder)}: binding {key} uses %{match.Groups[1].Value}%, which no app setting provides");
                    }

                    if (key == "connection")
                    {
                        Assert.True(settings.ContainsKey(text) || settings.ContainsKey($"{text}__fullyQualifiedNamespace")
                            || settings.ContainsKey($"{text}__accountName") || settings.ContainsKey($"{text}__serviceUri"),
                            $"{Path.GetFileName(folder)}: connection '{text}' has no app setting");
                    }
                }
            }
        }
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();

    [GeneratedRegex("(AccountKey=|SharedAccessKey=|SharedAccessSignature|InstrumentationKey=|sig=)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyMaterial();
}
