using System.ComponentModel.DataAnnotations;

namespace Connector.Stores;

/// <summary>Settings for every store platform (section <c>Stores</c>, design §6.1).</summary>
public sealed class StoresOptions
{
    public const string Section = "Stores";

    /// <summary>
    /// Contract (<c>Stores__AllowLoopback</c>): <c>true</c> only in the local sandbox and tests, where store simulators listen on
    /// <c>http://127.0.0.1:port</c>. It relaxes https, loopback addresses and non-default ports; private, link-local and metadata
    /// addresses stay refused. Default <c>false</c>.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>How long <c>PUT /api/shops/{shopId}</c> waits for the store's connection check before answering 504.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ConnectionCheckTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
