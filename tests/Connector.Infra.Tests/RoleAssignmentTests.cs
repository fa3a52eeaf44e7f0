using Connector.Infra.Tests.Arm;
using Connector.Infra.Tests.Support;

namespace Connector.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class RoleAssignmentTests(InfraFixture infra)
{
    private const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";

    private readonly Deployment _deployment = infra.Evaluate();

    /// <summary>Role -> id (reference §5.4) -> the resource type it must be scoped to, on every resource of that type.</summary>
    public static TheoryData<string, string, string> RequiredRoles => new()
    {
        { "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts" },
        { "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts" },
        { "Azure Service Bus Data Sender", ServiceBusDataSender, "Microsoft.ServiceBus/namespaces/queues" },
        { "Azure Service Bus Data Receiver", ServiceBusDataReceiver, "Microsoft.ServiceBus/namespaces/queues" },
        { "Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults" },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
    };

    [Theory]
    [MemberData(nameof(RequiredRoles))]
    public void Required_role_is_granted_to_the_managed_identity_on_each_of_its_resources(string role, string roleId, string scopeType)
    {
        var identity = _deployment.Identity;
        var assignments = _deployment.OfType(RoleAssignmentType)
            .Where(a => Equals(a.Get("properties.roleDefinitionId"), RoleDefinitionId(roleId)))
            .ToList();
        var targets = _deployment.OfType(scopeType).ToList();
        Assert.NotEmpty(targets);

        // One assignment per resource, scoped to that resource (for Service Bus: each queue, never the namespace).
        foreach (var target in targets)
        {
            var assignment = Assert.Single(assignments, a => a.ScopeProperty is { } scope && ScopeId(scope) == target.Id);

            Assert.Equal(true, assignment.Condition);
            Assert.Equal("ServicePrincipal", assignment.Get("properties.principalType"));
            var principal = Assert.IsType<Opaque>(assignment.Get("properties.principalId"));
            Assert.True(principal.Reads(identity.Id, "principalId"), $"{role} on {target.Name}: principalId is {principal.Text}");
            Assert.Equal(ArmHash.GuidOf([target.Id, identity.Id, roleId]), assignment.Name);
        }

        Assert.Equal(targets.Count, assignments.Count);
    }

    [Fact]
    public void Identity_may_send_to_and_receive_from_every_queue()
    {
        // The handler sends to both queues and the host's serviceBusTrigger receives from both.
        var queues = _deployment.OfType("Microsoft.ServiceBus/namespaces/queues").ToList();
        Assert.Equal(2, queues.Count);

        foreach (var queue in queues)
        {
            var roles = _deployment.OfType(RoleAssignmentType)
                .Where(a => a.ScopeProperty is { } scope && ScopeId(scope) == queue.Id)
                .Where(a => Assert.IsType<Opaque>(a.Get("properties.principalId")).Reads(_deployment.Identity.Id, "principalId"))
                .Select(a => (string)a.Get("properties.roleDefinitionId")!)
                .Order(StringComparer.Ordinal);
            string[] expected = [RoleDefinitionId(ServiceBusDataSender), RoleDefinitionId(ServiceBusDataReceiver)];

            Assert.Equal(expected.Order(StringComparer.Ordinal), roles);
        }
    }

    [Fact]
    public void Identity_gets_no_role_beyond_the_required_data_roles()
    {
        var allowed = RequiredRoles.Select(row => RoleDefinitionId((string)row[1])).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var expected = RequiredRoles.Sum(row => _deployment.OfType((string)row[2]).Count());
        var assignments = _deployment.OfType(RoleAssignmentType).ToList();

        Assert.Equal(expected, assignments.Count);
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
