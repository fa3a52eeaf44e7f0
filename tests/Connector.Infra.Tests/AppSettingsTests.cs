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
        "BulkQueueName",
        "FetchSchedule",
        "TikTok__ApiBaseUrl",
        "TikTok__AuthBaseUrl",
        "TikTok__AppKey",
        "TikTok__AppSecret",
        "TikTok__ServiceId",
        "Stores__AllowLoopback",
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
    public void Queue_schedule_and_tiktok_settings_have_the_design_defaults()
    {
        var settings = _deployment.AppSettings;

        Assert.Equal("orders", settings["OrdersQueueName"]);
        Assert.Equal("bulk", settings["BulkQueueName"]);
        Assert.Equal("0 */5 * * * *", settings["FetchSchedule"]);
        Assert.Equal("https://open-api.tiktokglobalshop.com", settings["TikTok__ApiBaseUrl"]);
        Assert.Equal("https://auth.tiktok-shops.com", settings["TikTok__AuthBaseUrl"]);
        Assert.Equal("test-app-key", settings["TikTok__AppKey"]);
    }

    [Fact]
    public void Store_urls_are_held_to_https_on_public_addresses_in_azure()
    {
        // design §6.1: Stores__AllowLoopback=true is for the local sandbox and tests only.
        Assert.Equal("false", _deployment.AppSettings["Stores__AllowLoopback"]);
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

    [Fact]
    public void Queue_name_settings_name_exactly_the_queues_created()
    {
        var queues = QueueNames(_deployment);
        var settings = QueueSettings(_deployment);

        Assert.Contains("OrdersQueueName", settings.Keys);
        Assert.Contains("BulkQueueName", settings.Keys);
        Assert.Equal(queues.Order(StringComparer.Ordinal), settings.Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_service_bus_trigger_reads_a_created_queue_through_a_queue_name_setting()
    {
        var queues = QueueNames(_deployment);
        var settings = QueueSettings(_deployment);
        var triggers = ServiceBusTriggers().ToList();
        Assert.Contains(triggers, t => t.Function == "ProcessOrderMessage");

        foreach (var (function, queueName, connection) in triggers)
        {
            // design §2: each queue's function reads its name from a %...QueueName% setting, never a literal.
            var match = QueueSettingReference().Match(queueName);
            Assert.True(match.Success, $"{function}: queueName '{queueName}' is not a %...QueueName% setting");
            var setting = match.Groups[1].Value;
            Assert.True(settings.TryGetValue(setting, out var queue), $"{function}: %{setting}% is not set by the Bicep");
            Assert.Contains(queue, queues);
            Assert.Equal("ServiceBusConnection", connection);
        }
    }

    [Fact]
    public void Every_queue_created_is_drained_by_a_service_bus_trigger()
    {
        var settings = QueueSettings(_deployment);
        var drained = ServiceBusTriggers()
            .Select(t => QueueSettingReference().Match(t.QueueName))
            .Where(m => m.Success && settings.ContainsKey(m.Groups[1].Value))
            .Select(m => settings[m.Groups[1].Value])
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(QueueNames(_deployment), queue => Assert.True(drained.Contains(queue), $"no function's serviceBusTrigger reads queue {queue}"));
    }

    [Fact]
    public void Local_settings_sample_and_the_bicep_set_the_same_queue_name_settings()
    {
        // design §2: every queue's setting is listed in local.settings.sample.json; Azure must set the same ones.
        var sample = JsonNode.Parse(File.ReadAllText(Repo.File("local.settings.sample.json")))!["Values"]!.AsObject()
            .Select(p => p.Key)
            .Where(k => k.EndsWith("QueueName", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Assert.Equal(sample, QueueSettings(_deployment).Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>The short names of the Service Bus queues the deployment creates.</summary>
    private static List<string> QueueNames(Deployment deployment) =>
        deployment.OfType("Microsoft.ServiceBus/namespaces/queues").Select(q => q.Name.Split('/')[1]).ToList();

    /// <summary>The app settings that name a queue (OrdersQueueName, BulkQueueName, ...): name -> queue.</summary>
    private static Dictionary<string, string> QueueSettings(Deployment deployment) =>
        deployment.AppSettings
            .Where(s => s.Key.EndsWith("QueueName", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => Assert.IsType<string>(s.Value), StringComparer.Ordinal);

    /// <summary>Every serviceBusTrigger binding of the function folders: (function, queueName, connection).</summary>
    private static IEnumerable<(string Function, string QueueName, string? Connection)> ServiceBusTriggers()
    {
        // The host reads functions/<name>/function.json, one level deep (design §6.3).
        foreach (var file in Directory.EnumerateDirectories(Repo.File("functions")).Select(d => Path.Combine(d, "function.json")).Where(File.Exists))
        {
            var function = Path.GetFileName(Path.GetDirectoryName(file))!;
            var bindings = JsonNode.Parse(File.ReadAllText(file))!["bindings"]!.AsArray();
            foreach (var binding in bindings.Select(b => b!.AsObject()))
            {
                if (binding["type"]?.GetValue<string>() == "serviceBusTrigger")
                {
                    yield return (function, binding["queueName"]?.GetValue<string>() ?? string.Empty, binding["connection"]?.GetValue<string>());
                }
            }
        }
    }

    [GeneratedRegex("^%([A-Za-z0-9_]*QueueName)%$")]
    private static partial Regex QueueSettingReference();

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();

    [GeneratedRegex("(AccountKey=|SharedAccessKey=|SharedAccessSignature|InstrumentationKey=|sig=)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyMaterial();
}
