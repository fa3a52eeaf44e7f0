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
    public async Task Emulator_connection_string_talks_to_its_host_with_retries_sized_for_an_invocation()
    {
        await using var client = ServiceBusClientFactory.Create(Config(
            ("ServiceBusConnection", "Endpoint=sb://127.0.0.1:7072/;SharedAccessKeyName=Root;SharedAccessKey=a2V5;UseDevelopmentEmulator=true")));

        Assert.Equal("127.0.0.1", client.FullyQualifiedNamespace);
        // reference/azure-service-bus-amqp.md §2: the SDK's defaults would hold an invocation for minutes when the broker is down.
        var retry = ServiceBusClientFactory.ClientOptions().RetryOptions;
        Assert.Equal(2, retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(400), retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(5), retry.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), retry.TryTimeout);
    }

    [Fact]
    public async Task Azure_connection_string_talks_to_the_namespace()
    {
        await using var client = ServiceBusClientFactory.Create(Config(
            ("ServiceBusConnection", "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Send;SharedAccessKey=a2V5")));

        Assert.Equal("contoso.servicebus.windows.net", client.FullyQualifiedNamespace);
    }

    [Theory]
    [InlineData("contoso.servicebus.windows.net")]
    [InlineData("sb://contoso.servicebus.windows.net/")]
    public async Task Identity_based_service_bus_uses_the_namespace(string setting)
    {
        await using var client = ServiceBusClientFactory.Create(Config(
            ("ServiceBusConnection:fullyQualifiedNamespace", setting),
            ("ServiceBusConnection:credential", "managedidentity"),
            ("ServiceBusConnection:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Equal("contoso.servicebus.windows.net", client.FullyQualifiedNamespace);
    }

    [Fact]
    public void Missing_service_bus_settings_name_both_ways_to_configure_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceBusClientFactory.Create(Config()));

        Assert.Contains("ServiceBusConnection__fullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SharedAccessKey=c2VjcmV0LXZhbHVl;no endpoint")]
    [InlineData("Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKey=c2VjcmV0LXZhbHVl")]
    public void A_malformed_service_bus_connection_string_is_refused_without_quoting_its_key(string connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceBusClientFactory.Create(Config(("ServiceBusConnection", connectionString))));

        Assert.Contains("ServiceBusConnection", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXZhbHVl", error.Message, StringComparison.Ordinal);
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
