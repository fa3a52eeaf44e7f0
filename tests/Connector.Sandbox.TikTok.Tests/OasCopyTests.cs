namespace Connector.Sandbox.TikTok.Tests;

/// <summary>The repository's copy of TikTok's OpenAPI files must stay identical to the team's reference.</summary>
public sealed class OasCopyTests
{
    [Fact]
    public void The_oas_copy_matches_the_shared_reference_when_it_is_present()
    {
        var shared = Oas.SharedReference();
        var copy = Path.Combine(AppContext.BaseDirectory, "oas");
        Assert.True(File.Exists(Path.Combine(copy, "order.json")), "oas/ copy missing from the test output");
        if (shared is null)
        {
            // A clone without shared/ beside it (e.g. CI) has only the copy, which the other tests use.
            return;
        }

        foreach (var file in Directory.GetFiles(shared, "*.json"))
        {
            Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(copy, Path.GetFileName(file))));
        }
    }
}
