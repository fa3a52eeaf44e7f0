using System.Text.Json.Nodes;
using Connector.Infra.Tests.Arm;

namespace Connector.Infra.Tests.Support;

/// <summary>
/// Builds and lints every .bicep file under infra/ once per test run (bicep --pattern), and evaluates the compiled
/// main template with test parameters.
/// </summary>
public sealed class InfraFixture : IDisposable
{
    /// <summary>Parameter values of main.bicep for the tests; the secret is a marker that must never show up.</summary>
    public static readonly IReadOnlyDictionary<string, object?> TestParameters = new Dictionary<string, object?>
    {
        ["environmentName"] = "test",
        ["tiktokAppKey"] = "test-app-key",
        ["tiktokAppSecret"] = SecretMarker,
    };

    public const string SecretMarker = "TEST-SECRET-7d1f0c2b-must-never-appear";

    private readonly string _outDir = Directory.CreateTempSubdirectory("connector-infra-").FullName;

    public InfraFixture()
    {
        Build = BicepCli.Run("build", "--pattern", "infra/**/*.bicep", "--outdir", _outDir);
        Lint = BicepCli.Run("lint", "--pattern", "infra/**/*.bicep");
        var mainJson = Path.Combine(_outDir, "main.json");
        MainTemplate = File.Exists(mainJson) ? JsonNode.Parse(File.ReadAllText(mainJson))!.AsObject() : null;
    }

    public BicepRun Build { get; }

    public BicepRun Lint { get; }

    /// <summary>The .bicep files under infra/, relative to infra/ with '/' separators.</summary>
    public static IReadOnlyList<string> BicepFiles =>
        Directory.EnumerateFiles(Repo.Infra, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.Infra, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The .json files the build wrote, relative to the output folder.</summary>
    public IReadOnlyList<string> BuiltFiles =>
        Directory.EnumerateFiles(_outDir, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_outDir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public JsonObject? MainTemplate { get; }

    /// <summary>main.json evaluated with <see cref="TestParameters"/> plus <paramref name="overrides"/>.</summary>
    public Deployment Evaluate(IReadOnlyDictionary<string, object?>? overrides = null)
    {
        Assert.True(MainTemplate is not null, $"infra/main.bicep did not compile:\n{Build}");
        var parameters = new Dictionary<string, object?>(TestParameters);
        foreach (var (key, value) in overrides ?? new Dictionary<string, object?>())
        {
            parameters[key] = value;
        }

        // A fresh copy: evaluation never mutates JSON, but each deployment gets its own caches.
        return new Deployment(TemplateScope.CreateRoot(MainTemplate!.DeepClone().AsObject(), parameters, ArmEnvironment.Default));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_outDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "infra";
}
