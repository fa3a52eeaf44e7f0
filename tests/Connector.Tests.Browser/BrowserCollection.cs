namespace Connector.Tests.Browser;

/// <summary>
/// Browser tests run one at a time: each starts a sandbox and a Chromium, the machine has two cores, and they share
/// one Azurite with the integration tests' process model.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
