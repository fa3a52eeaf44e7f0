using Connector.Infra.Tests.Arm;

namespace Connector.Infra.Tests.Support;

/// <summary>The compiled main template and its modules, flattened: what one deployment would create.</summary>
public sealed class Deployment(TemplateScope root)
{
    private ArmObject? _outputs;

    public TemplateScope Root { get; } = root;

    /// <summary>Every resource of main and of every module (nested deployments themselves excluded).</summary>
    public IReadOnlyList<ArmResource> Resources { get; } = Flatten(root).ToList();

    public ArmObject Outputs => _outputs ??= Root.Outputs();

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public ArmResource The(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"expected exactly one {type}, found {matches.Count}");
        return matches[0];
    }

    /// <summary>The one user-assigned managed identity the app runs as.</summary>
    public ArmResource Identity => The("Microsoft.ManagedIdentity/userAssignedIdentities");

    public ArmResource FunctionApp => The("Microsoft.Web/sites");

    /// <summary>The function app's app settings, evaluated (name -> value).</summary>
    public IReadOnlyDictionary<string, object?> AppSettings
    {
        get
        {
            var settings = FunctionApp.Get("properties.siteConfig.appSettings") as List<object?>;
            Assert.NotNull(settings);
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var item in settings)
            {
                var setting = Assert.IsType<ArmObject>(item);
                var name = Assert.IsType<string>(setting["name"]);
                Assert.False(result.ContainsKey(name), $"app setting {name} is set twice");
                result[name] = setting["value"];
            }

            return result;
        }
    }

    private static IEnumerable<ArmResource> Flatten(TemplateScope scope)
    {
        foreach (var resource in scope.Resources)
        {
            if (resource.Module is { } module)
            {
                foreach (var nested in Flatten(module))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return resource;
            }
        }
    }
}
