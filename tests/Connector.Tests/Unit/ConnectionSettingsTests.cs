using System.Web;
using Connector.Diagnostics;
using Connector.Messaging;
using Connector.State;
using Microsoft.Extensions.Configuration;

namespace Connector.Tests.Unit;

/// <summary>Settings as design §6.1 defines them: connection strings locally, identities in Azure.</summary>
public sealed class ConnectionSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Emulator_connection_string_sends_plain_http_to_its_host_and_port()
    {
        var options = ServiceBusOptions.FromConnectionString("Endpoint=sb://127.0.0.1:7072/;SharedAccessKeyName=Root;SharedAccessKey=a2V5;UseDevelopmentEmulator=true");

        Assert.Equal(new Uri("http://127.0.0.1:7072/"), options.Endpoint);
        Assert.Equal("Root", options.KeyName);
        Assert.Null(options.Credential);
    }

    [Fact]
    public void Azure_connection_string_sends_https_to_the_namespace()
    {
        var options = ServiceBusOptions.FromConnectionString("Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Send;SharedAccessKey=a2V5");

        Assert.Equal(new Uri("https://contoso.servicebus.windows.net/"), options.Endpoint);
    }

    [Fact]
    public void Identity_based_service_bus_uses_the_namespace_and_a_managed_identity()
    {
        var options = ServiceBusOptions.FromConfiguration(Config(
            ("ServiceBusConnection:fullyQualifiedNamespace", "contoso.servicebus.windows.net"),
            ("ServiceBusConnection:credential", "managedidentity"),
            ("ServiceBusConnection:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Equal(new Uri("https://contoso.servicebus.windows.net/"), options.Endpoint);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(options.Credential);
        Assert.Null(options.Key);
    }

    [Fact]
    public void Missing_service_bus_settings_name_both_ways_to_configure_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceBusOptions.FromConfiguration(Config()));

        Assert.Contains("ServiceBusConnection__fullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sas_token_has_the_documented_shape_and_signature()
    {
        var token = SasToken.Create(new Uri("https://contoso.servicebus.windows.net/"), "Send", "a2V5", DateTimeOffset.FromUnixTimeSeconds(1438205742));

        Assert.StartsWith("SharedAccessSignature sr=https%3A%2F%2Fcontoso.servicebus.windows.net%2F&sig=", token, StringComparison.Ordinal);
        Assert.Contains("&se=1438205742&skn=Send", token, StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(token["SharedAccessSignature ".Length..]);
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            "a2V5"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes("https%3A%2F%2Fcontoso.servicebus.windows.net%2F\n1438205742")));
        Assert.Equal(expected, query["sig"]);
    }

    [Fact]
    public void Identity_based_storage_uses_the_table_endpoint_of_the_account()
    {
        var client = TableServiceClientFactory.Create(Config(
            ("AzureWebJobsStorage:accountName", "contosostate"),
            ("AzureWebJobsStorage:credential", "managedidentity")));

        Assert.Equal("https://contosostate.table.core.windows.net/", client.Uri.ToString());
    }

    [Fact]
    public void Missing_storage_settings_name_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TableServiceClientFactory.Create(Config()));

        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD", true)]
    [InlineData("Authorization=AAD", true)]
    [InlineData("", false)]
    [InlineData("Authorization=Key", false)]
    public void App_insights_uses_entra_only_when_the_authentication_string_says_so(string value, bool entra) =>
        Assert.Equal(entra, TelemetrySetup.Credential(value) is not null);
}
