using Connector.Infra.Tests.Arm;
using Connector.Infra.Tests.Support;

namespace Connector.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class RoleAssignmentTests(InfraFixture infra)
{
    private const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";

    private readonly Deployment _deployment = infra.Evaluate();

    /// <summary>Role -> id (reference §5.4) -> the resource type it must be scoped to.</summary>
    public static TheoryData<string, string, string> RequiredRoles => new()
    {
        { "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts" },
        { "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts" },
        { "Azure Service Bus Data Sender", "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Microsoft.ServiceBus/namespaces/queues" },
        { "Azure Service Bus Data Receiver", "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "Microsoft.ServiceBus/namespaces/queues" },
        { "Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults" },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
    };

    [Theory]
    [MemberData(nameof(RequiredRoles))]
    public void Required_role_is_granted_to_the_managed_identity_on_its_resource(string role, string roleId, string scopeType)
    {
        var identity = _deployment.Identity;
        var assignments = _deployment.OfType(RoleAssignmentType)
            .Where(a => Equals(a.Get("properties.roleDefinitionId"), RoleDefinitionId(roleId)))
            .ToList();
        var assignment = Assert.Single(assignments);

        Assert.Equal(true, assignment.Condition);
        Assert.Equal("ServicePrincipal", assignment.Get("properties.principalType"));
        var principal = Assert.IsType<Opaque>(assignment.Get("properties.principalId"));
        Assert.True(principal.Reads(identity.Id, "principalId"), $"{role}: principalId is {principal.Text}");

        var target = Assert.Single(_deployment.OfType(scopeType));
        Assert.NotNull(assignment.ScopeProperty);
        Assert.Equal(target.Id, ScopeId(assignment.ScopeProperty));
        Assert.Equal(ArmHash.GuidOf([target.Id, identity.Id, roleId]), assignment.Name);
    }

    [Fact]
    public void Identity_gets_no_role_beyond_the_required_data_roles()
    {
        var allowed = RequiredRoles.Select(row => RoleDefinitionId((string)row[1])).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var assignments = _deployment.OfType(RoleAssignmentType).ToList();

        Assert.Equal(allowed.Count, assignments.Count);
        foreach (var assignment in assignments)
        {
            Assert.Contains((string)assignment.Get("properties.roleDefinitionId")!, allowed);
            Assert.NotNull(assignment.ScopeProperty);
        }
    }

    private static string RoleDefinitionId(string roleId) =>
        $"{ArmEnvironment.Default.SubscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/{roleId}";

    private static string ScopeId(string scope) =>
        scope.StartsWith('/') ? scope : $"{ArmEnvironment.Default.ResourceGroupScope}/providers/{scope}";
}
