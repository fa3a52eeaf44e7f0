namespace Connector.Tests.Integration;

/// <summary>Integration tests run one at a time: they share one Azurite and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "integration";
}
