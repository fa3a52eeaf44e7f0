using System.Text.Json.Nodes;
using Connector.Infra.Tests.Support;

namespace Connector.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class BicepCompilationTests(InfraFixture infra)
{
    [Fact]
    public void Every_bicep_file_under_infra_builds_without_errors_or_warnings()
    {
        Assert.True(infra.Build.ExitCode == 0, infra.Build.ToString());
        Assert.True(infra.Build.Diagnostics.Count == 0, infra.Build.ToString());
        var expected = InfraFixture.BicepFiles.Select(f => Path.ChangeExtension(f, ".json")).ToList();
        Assert.Contains("main.bicep", InfraFixture.BicepFiles);
        Assert.Equal(expected, infra.BuiltFiles);
    }

    [Fact]
    public void Every_bicep_file_under_infra_lints_without_warnings()
    {
        Assert.True(infra.Lint.ExitCode == 0, infra.Lint.ToString());
        Assert.True(infra.Lint.Diagnostics.Count == 0, infra.Lint.ToString());
        Assert.DoesNotContain("Warning", infra.Lint.Stdout + infra.Lint.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", infra.Lint.Stdout + infra.Lint.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_template_deploys_to_a_resource_group()
    {
        Assert.NotNull(infra.MainTemplate);
        var schema = infra.MainTemplate["$schema"]!.GetValue<string>();
        Assert.EndsWith("/deploymentTemplate.json#", schema, StringComparison.Ordinal);
    }

    [Fact]
    public void Bicep_files_use_plain_resources_and_local_modules_only()
    {
        foreach (var file in InfraFixture.BicepFiles)
        {
            var text = File.ReadAllText(Path.Combine(Repo.Infra, file));
            Assert.DoesNotContain("'br:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'br/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts/", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parameters_file_feeds_main_bicep_from_the_azd_environment()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Infra, "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = infra.MainTemplate!["parameters"]!.AsObject();

        foreach (var (name, _) in file)
        {
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare");
        }

        foreach (var (name, declaration) in declared)
        {
            if (!declaration!.AsObject().ContainsKey("defaultValue"))
            {
                Assert.True(file.ContainsKey(name), $"required parameter '{name}' is missing from main.parameters.json");
            }
        }

        Assert.Equal("${AZURE_ENV_NAME}", file["environmentName"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", file["location"]!["value"]!.GetValue<string>());
        Assert.True(file.ContainsKey("tiktokAppKey"));
        Assert.Equal("securestring", declared["tiktokAppSecret"]!["type"]!.GetValue<string>());
    }
}
