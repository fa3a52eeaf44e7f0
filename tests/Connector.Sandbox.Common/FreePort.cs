using System.Net;
using System.Net.Sockets;

namespace Connector.Sandbox;

public static class FreePort
{
    /// <summary>
    /// A loopback port nobody listens on. Binding port 0 and releasing it hands back an ephemeral port that another server of the
    /// same test run, binding port 0 meanwhile, can be given too (then the wrong server answers). So the port is picked below
    /// Linux's ephemeral range (32768-60999), where bind(0) never lands; port 0 is the fallback.
    /// </summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, candidate);
                probe.Start();
                probe.Stop();
                return candidate;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
