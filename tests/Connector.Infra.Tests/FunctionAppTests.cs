using Connector.Infra.Tests.Arm;
using Connector.Infra.Tests.Support;

namespace Connector.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class FunctionAppTests(InfraFixture infra)
{
    private readonly Deployment _deployment = infra.Evaluate();

    [Fact]
    public void Function_app_runs_on_a_linux_flex_consumption_plan()
    {
        var plan = _deployment.The("Microsoft.Web/serverfarms");
        var app = _deployment.FunctionApp;

        Assert.Equal("FC1", plan.Get("sku.name"));
        Assert.Equal("FlexConsumption", plan.Get("sku.tier"));
        Assert.Equal(true, plan.Get("properties.reserved"));
        Assert.Equal("functionapp,linux", app.Get("kind"));
        Assert.Equal(plan.Id, app.Get("properties.serverFarmId"));
    }

    [Fact]
    public void Function_app_is_https_only_with_tls_1_2_and_without_ftp_or_basic_auth_publishing()
    {
        var app = _deployment.FunctionApp;

        Assert.Equal(true, app.Get("properties.httpsOnly"));
        Assert.Equal("1.2", app.Get("properties.siteConfig.minTlsVersion"));
        Assert.Equal("1.2", app.Get("properties.siteConfig.scmMinTlsVersion"));
        Assert.Equal("Disabled", app.Get("properties.siteConfig.ftpsState"));
        var policies = _deployment.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], policies.Select(p => p.Name.Split('/')[1]).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.Equal(false, p.Get("properties.allow")));
    }

    [Fact]
    public void Function_app_runtime_is_custom_by_default()
    {
        var runtime = Assert.IsType<ArmObject>(_deployment.FunctionApp.Get("properties.functionAppConfig.runtime"));

        Assert.Equal("custom", runtime["name"]);
        Assert.Equal("1.0", runtime["version"]);
    }

    [Fact]
    public void Function_app_runtime_falls_back_to_dotnet_isolated_10_on_request()
    {
        var deployment = infra.Evaluate(new Dictionary<string, object?> { ["useDotnetIsolatedFallback"] = true });
        var runtime = Assert.IsType<ArmObject>(deployment.FunctionApp.Get("properties.functionAppConfig.runtime"));

        Assert.Equal("dotnet-isolated", runtime["name"]);
        Assert.Equal("10.0", runtime["version"]);
    }

    [Fact]
    public void Function_app_scales_on_2048_mb_instances_up_to_100_by_default()
    {
        var app = _deployment.FunctionApp;

        Assert.Equal(2048L, app.Get("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
        Assert.Equal(100L, app.Get("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));
    }

    [Fact]
    public void Function_app_runs_only_as_the_user_assigned_identity()
    {
        var app = _deployment.FunctionApp;
        var identity = _deployment.Identity;

        Assert.Equal("UserAssigned", app.Get("identity.type"));
        var assigned = Assert.IsType<ArmObject>(app.Get("identity.userAssignedIdentities"));
        Assert.Equal(identity.Id, Assert.Single(assigned.Keys));
        Assert.Equal(identity.Id, app.Get("properties.keyVaultReferenceIdentity"));
    }

    [Fact]
    public void Deployment_package_is_pulled_from_the_private_container_with_the_identity()
    {
        var app = _deployment.FunctionApp;
        var identity = _deployment.Identity;
        var storage = _deployment.The("Microsoft.Storage/storageAccounts");

        Assert.Equal("blobContainer", app.Get("properties.functionAppConfig.deployment.storage.type"));
        var location = Assert.IsType<Opaque>(app.Get("properties.functionAppConfig.deployment.storage.value"));
        Assert.True(location.Reads(storage.Id, "primaryEndpoints.blob"), location.Text);
        Assert.EndsWith("}app-package", location.Text, StringComparison.Ordinal);
        Assert.Equal("UserAssignedIdentity", app.Get("properties.functionAppConfig.deployment.storage.authentication.type"));
        Assert.Equal(identity.Id,
            app.Get("properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId"));
    }

    [Fact]
    public void Function_app_is_created_after_every_role_assignment()
    {
        // The Key Vault reference, the package download and the host's connections all need the roles at start.
        var modules = _deployment.Root.Resources.Where(r => r.Module is not null).ToList();
        var appModule = Assert.Single(modules, m => ReferenceEquals(m.Module, _deployment.FunctionApp.Scope));
        var dependsOn = Assert.IsType<List<object?>>(appModule.Evaluated.GetValueOrDefault("dependsOn") ?? new List<object?>());
        var roleModules = _deployment.OfType("Microsoft.Authorization/roleAssignments")
            .Select(a => Assert.Single(modules, m => ReferenceEquals(m.Module, a.Scope)).Id)
            .Distinct()
            .ToList();

        Assert.NotEmpty(roleModules);
        Assert.All(roleModules, id => Assert.Contains(id, dependsOn));
    }

    [Fact]
    public void Function_app_is_tagged_for_azd_deploy()
    {
        var tags = Assert.IsType<ArmObject>(_deployment.FunctionApp.Get("tags"));

        Assert.Equal("connector", tags["azd-service-name"]);
        Assert.Equal("test", tags["azd-env-name"]);
    }
}
