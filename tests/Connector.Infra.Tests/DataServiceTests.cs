using Connector.Infra.Tests.Arm;
using Connector.Infra.Tests.Support;

namespace Connector.Infra.Tests;

/// <summary>Storage, Service Bus, Key Vault and monitoring: the security properties the design depends on.</summary>
[Collection(InfraCollection.Name)]
public sealed class DataServiceTests(InfraFixture infra)
{
    private readonly Deployment _deployment = infra.Evaluate();

    [Fact]
    public void Storage_account_refuses_shared_keys_public_blobs_plain_http_and_old_tls()
    {
        var storage = _deployment.The("Microsoft.Storage/storageAccounts");

        Assert.Equal("StorageV2", storage.Get("kind"));
        Assert.Equal(false, storage.Get("properties.allowSharedKeyAccess"));
        Assert.Equal(false, storage.Get("properties.allowBlobPublicAccess"));
        Assert.Equal("TLS1_2", storage.Get("properties.minimumTlsVersion"));
        Assert.Equal(true, storage.Get("properties.supportsHttpsTrafficOnly"));
    }

    [Fact]
    public void Deployment_package_container_is_private()
    {
        var storage = _deployment.The("Microsoft.Storage/storageAccounts");
        var container = _deployment.The("Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.Equal($"{storage.Name}/default/app-package", container.Name);
        Assert.Equal("None", container.Get("properties.publicAccess"));
    }

    [Fact]
    public void Service_bus_namespace_is_standard_tier_with_local_auth_disabled()
    {
        var ns = _deployment.The("Microsoft.ServiceBus/namespaces");

        Assert.Equal("Standard", ns.Get("sku.name"));
        Assert.Equal("Standard", ns.Get("sku.tier"));
        Assert.Equal(true, ns.Get("properties.disableLocalAuth"));
        Assert.Equal("1.2", ns.Get("properties.minimumTlsVersion"));
    }

    [Fact]
    public void Service_bus_has_the_orders_queue_and_the_bulk_queue()
    {
        var ns = _deployment.The("Microsoft.ServiceBus/namespaces");

        Assert.Equal([$"{ns.Name}/bulk", $"{ns.Name}/orders"], Queues(_deployment).Select(q => q.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_queue_detects_duplicates_and_dead_letters_instead_of_dropping()
    {
        // Every message carries a deterministic MessageId; without duplicate detection a re-send is processed twice.
        var queues = Queues(_deployment);

        Assert.NotEmpty(queues);
        Assert.All(queues, queue =>
        {
            Assert.True(Equals(true, queue.Get("properties.requiresDuplicateDetection")), $"{queue.Name}: no duplicate detection");
            Assert.Equal("PT10M", queue.Get("properties.duplicateDetectionHistoryTimeWindow"));
            Assert.Equal(10L, queue.Get("properties.maxDeliveryCount"));
            Assert.True(Equals(true, queue.Get("properties.deadLetteringOnMessageExpiration")), $"{queue.Name}: expired messages dropped");
        });
    }

    [Fact]
    public void No_queue_uses_sessions()
    {
        // The design orders work with ETag-guarded writes; a session queue would reject sends without SessionId.
        Assert.All(Queues(_deployment), queue => Assert.Equal(false, queue.Get("properties.requiresSession")));
    }

    [Theory]
    [InlineData("orders", "PT1M", "P7D", 1024L)]
    [InlineData("bulk", "PT5M", "P14D", 5120L)]
    public void Queue_lock_time_to_live_and_size_suit_its_work(string queueName, string lockDuration, string timeToLive, long sizeInMegabytes)
    {
        // bulk: a fetch page may wait behind the handler's bulk concurrency, and a backfill must not expire or fill the queue.
        var queue = Assert.Single(Queues(_deployment), q => q.Name.EndsWith($"/{queueName}", StringComparison.Ordinal));

        Assert.Equal(lockDuration, queue.Get("properties.lockDuration"));
        Assert.Equal(timeToLive, queue.Get("properties.defaultMessageTimeToLive"));
        Assert.Equal(sizeInMegabytes, queue.Get("properties.maxSizeInMegabytes"));
    }

    [Fact]
    public void Queue_name_parameters_name_the_queues_their_settings_and_outputs()
    {
        var deployment = infra.Evaluate(new Dictionary<string, object?> { ["ordersQueueName"] = "work", ["bulkQueueName"] = "backfill" });
        var ns = deployment.The("Microsoft.ServiceBus/namespaces");

        Assert.Equal([$"{ns.Name}/backfill", $"{ns.Name}/work"], Queues(deployment).Select(q => q.Name).Order(StringComparer.Ordinal));
        Assert.Equal("work", deployment.AppSettings["OrdersQueueName"]);
        Assert.Equal("backfill", deployment.AppSettings["BulkQueueName"]);
        Assert.Equal("work", deployment.Outputs["ordersQueueName"]);
        Assert.Equal("backfill", deployment.Outputs["bulkQueueName"]);
    }

    [Fact]
    public void Key_vault_uses_rbac_soft_delete_and_purge_protection()
    {
        var vault = _deployment.The("Microsoft.KeyVault/vaults");

        Assert.Equal(true, vault.Get("properties.enableRbacAuthorization"));
        Assert.Equal(true, vault.Get("properties.enableSoftDelete"));
        Assert.Equal(true, vault.Get("properties.enablePurgeProtection"));
        Assert.Null(vault.Get("properties.accessPolicies"));
    }

    [Fact]
    public void Key_vault_purge_protection_when_turned_off_is_omitted_never_false()
    {
        // ARM rejects enablePurgeProtection=false on a vault that has it; leaving it out is the only safe "off".
        var deployment = infra.Evaluate(new Dictionary<string, object?> { ["enableKeyVaultPurgeProtection"] = false });
        var vault = deployment.The("Microsoft.KeyVault/vaults");

        Assert.Null(vault.Get("properties.enablePurgeProtection"));
    }

    [Fact]
    public void Tiktok_app_secret_is_written_to_key_vault_from_the_secure_parameter()
    {
        var vault = _deployment.The("Microsoft.KeyVault/vaults");
        var secret = Assert.Single(_deployment.OfType("Microsoft.KeyVault/vaults/secrets"), s => s.Name == $"{vault.Name}/tiktok-app-secret");

        Assert.Equal(true, secret.Condition);
        Assert.Equal(InfraFixture.SecretMarker, secret.Get("properties.value"));
    }

    [Fact]
    public void Empty_app_secret_parameter_leaves_the_vault_secret_untouched()
    {
        var deployment = infra.Evaluate(new Dictionary<string, object?> { ["tiktokAppSecret"] = string.Empty });

        Assert.Equal(false, Assert.Single(deployment.OfType("Microsoft.KeyVault/vaults/secrets"), s => s.Name.EndsWith("/tiktok-app-secret", StringComparison.Ordinal)).Condition);
    }

    [Fact]
    public void Etsy_settings_appear_only_for_an_etsy_deployment_and_its_secret_is_a_key_vault_reference()
    {
        var withoutEtsy = infra.Evaluate();
        var withEtsy = infra.Evaluate(new Dictionary<string, object?> { ["etsyKeystring"] = "etsykeystring123", ["etsySharedSecret"] = InfraFixture.SecretMarker });

        Assert.DoesNotContain(withoutEtsy.AppSettings.Keys, k => k.StartsWith("Etsy__", StringComparison.Ordinal));
        Assert.Equal("etsykeystring123", withEtsy.AppSettings["Etsy__Keystring"]);
        Assert.StartsWith("@Microsoft.KeyVault(", withEtsy.AppSettings["Etsy__SharedSecret"]?.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("/api/etsy/callback", withEtsy.AppSettings["Etsy__OAuthRedirectUrl"]?.ToString(), StringComparison.Ordinal);
        var secret = Assert.Single(withEtsy.OfType("Microsoft.KeyVault/vaults/secrets"), s => s.Name.EndsWith("/etsy-shared-secret", StringComparison.Ordinal));
        Assert.Equal(true, secret.Condition);
    }

    [Fact]
    public void Application_insights_accepts_only_entra_authenticated_telemetry()
    {
        var workspace = _deployment.The("Microsoft.OperationalInsights/workspaces");
        var insights = _deployment.The("Microsoft.Insights/components");

        Assert.Equal(true, insights.Get("properties.DisableLocalAuth"));
        Assert.Equal(workspace.Id, insights.Get("properties.WorkspaceResourceId"));
    }

    [Fact]
    public void Nothing_reads_account_keys_or_connection_strings_with_list_functions()
    {
        foreach (var resource in _deployment.Resources)
        {
            _ = resource.Evaluated;
        }

        _ = _deployment.Outputs;
        Assert.Empty(_deployment.Root.ListCalls);
    }

    private static List<ArmResource> Queues(Deployment deployment) =>
        deployment.OfType("Microsoft.ServiceBus/namespaces/queues").ToList();
}
