using Connector.Sandbox;

namespace Connector.Testing;

/// <summary>One Azurite for the whole test run, started on first use and stopped when the test process exits.</summary>
public static class SharedAzurite
{
    private static readonly Lazy<Task<AzuriteServer>> Server = new(StartAsync);

    public static Task<AzuriteServer> GetAsync() => Server.Value;

    private static async Task<AzuriteServer> StartAsync()
    {
        var server = await AzuriteServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
