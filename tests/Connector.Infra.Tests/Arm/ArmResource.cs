using System.Text.Json.Nodes;

namespace Connector.Infra.Tests.Arm;

/// <summary>One resource of a compiled template, with its evaluated name and id.</summary>
public sealed class ArmResource(TemplateScope scope, JsonObject json, string type, string name, string id, TemplateScope? module,
    CopyIteration? copy = null)
{
    private ArmObject? _evaluated;

    public TemplateScope Scope { get; } = scope;

    public JsonObject Json { get; } = json;

    public string Type { get; } = type;

    public string Name { get; } = name;

    /// <summary>Full resource id (for an extension resource such as a role assignment: under its scope).</summary>
    public string Id { get; } = id;

    /// <summary>The nested template of a Bicep module (a Microsoft.Resources/deployments resource).</summary>
    public TemplateScope? Module { get; } = module;

    /// <summary>The copy loop iteration this resource is (Bicep <c>for</c>); null for a resource outside a loop.</summary>
    public CopyIteration? Copy { get; } = copy;

    /// <summary>The "scope" property of an extension resource, evaluated; null when absent.</summary>
    public string? ScopeProperty => Json["scope"] is JsonNode node ? (string?)Scope.EvaluateIn(node, Copy) : null;

    /// <summary>The deploy condition (true when the resource has none).</summary>
    public object? Condition => Json["condition"] is JsonNode node ? Scope.EvaluateIn(node, Copy) : true;

    /// <summary>The whole resource, evaluated (for a module only its shell: its template belongs to another scope).</summary>
    public ArmObject Evaluated => _evaluated ??= Module is null
        ? (ArmObject)Scope.EvaluateIn(Json, Copy)!
        : EvaluateModuleShell();

    /// <summary>A value by dotted path, e.g. "properties.siteConfig.minTlsVersion"; null if any part is missing.</summary>
    public object? Get(string path)
    {
        object? current = Evaluated;
        foreach (var part in path.Split('.'))
        {
            if (current is not ArmObject obj || !obj.TryGetValue(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    public override string ToString() => Copy is null ? $"{Type} {Name}" : $"{Type} {Name} ({Copy.Name}[{Copy.Index}])";

    /// <summary>A module's own properties (name, dependsOn, ...), without its template and parameter bindings.</summary>
    private ArmObject EvaluateModuleShell()
    {
        var shell = Json.DeepClone().AsObject();
        shell.Remove("properties");
        return (ArmObject)Scope.Evaluate(shell)!;
    }
}
