namespace Connector.Infra.Tests.Arm;

/// <summary>The made-up subscription and resource group a template is evaluated against.</summary>
public sealed record ArmEnvironment(string SubscriptionId, string TenantId, string ResourceGroupName, string Location)
{
    public static ArmEnvironment Default { get; } = new(
        "00000000-0000-0000-0000-000000000001",
        "00000000-0000-0000-0000-0000000000aa",
        "rg-connector-test",
        "westeurope");

    public string SubscriptionScope => $"/subscriptions/{SubscriptionId}";

    public string ResourceGroupScope => $"{SubscriptionScope}/resourceGroups/{ResourceGroupName}";

    /// <summary>"Microsoft.A/b/c" + ["x", "y"] -> "Microsoft.A/b/x/c/y".</summary>
    public static string TypedPath(string type, IReadOnlyList<string> names)
    {
        var segments = type.Split('/');
        if (segments.Length - 1 != names.Count)
        {
            throw new ArgumentException($"Type {type} needs {segments.Length - 1} name segments, got {names.Count}");
        }

        var parts = new List<string> { segments[0] };
        for (var i = 1; i < segments.Length; i++)
        {
            parts.Add(segments[i]);
            parts.Add(names[i - 1]);
        }

        return string.Join('/', parts);
    }

    public string ResourceGroupResourceId(string type, IReadOnlyList<string> names) =>
        $"{ResourceGroupScope}/providers/{TypedPath(type, names)}";
}
