using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Connector.Stores;

/// <summary>
/// Where Connector may send a store's credentials (design §3 "Untrusted input stays outside", §6.1): an https address with the
/// default port, no user info, on a public host. Checked twice: on the address the merchant gives
/// (<see cref="CheckBaseUrl"/>, a 400 naming <c>store.baseUrl</c>) and on every new connection (<see cref="ConnectAsync"/>, the
/// <see cref="SocketsHttpHandler.ConnectCallback"/> of every store HttpClient), which resolves the name itself, refuses any
/// disallowed address and connects to the address it checked, so a name cannot resolve one way for the check and another for
/// the connection. <see cref="StoresOptions.AllowLoopback"/> (sandbox and tests only) relaxes https, loopback and the port.
/// </summary>
public sealed class StoreAddressPolicy(IOptions<StoresOptions> options, IStoreHostResolver resolver)
{
    public const int MaxUrlLength = 2048;

    private const string Public = "a store must be on a public address";

    // Names that reach a cloud provider's instance metadata service (credentials of the machine Connector runs on).
    private static readonly HashSet<string> MetadataNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal", "instance-data", "instance-data.ec2.internal",
        "metadata.platformequinix.com", "metadata.packet.net", "metadata.tencentyun.com",
    };

    // Top-level names that only exist inside a private network.
    private static readonly string[] LocalSuffixes =
        [".internal", ".local", ".localdomain", ".lan", ".home", ".corp", ".intranet", ".private", ".arpa", ".test", ".invalid"];

    public bool AllowLoopback => options.Value.AllowLoopback;

    /// <summary>Why a merchant-given store address cannot be used (in words for the merchant), or null when it can.</summary>
    public string? CheckBaseUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "Must be the store's address as an absolute https URL, e.g. https://my-shop.myshopify.com.";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return "Must be the store's address only, without a query (?...) or fragment (#...).";
        }

        return CheckTarget(uri);
    }

    /// <summary>The rules every request to a store follows: scheme, user info, port, host name or IP literal.</summary>
    public string? CheckTarget(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Scheme != Uri.UriSchemeHttps && !(AllowLoopback && uri.Scheme == Uri.UriSchemeHttp))
        {
            return "Must start with https://: Connector sends the store's credentials only over an encrypted connection.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "Must not contain a user name or password (user:password@); give the store's credentials in their own fields.";
        }

        if (!uri.IsDefaultPort && !AllowLoopback)
        {
            return $"Must use the default https port (443), not {uri.Port}.";
        }

        return CheckHost(uri.DnsSafeHost);
    }

    /// <summary>A host name or IP literal, before any DNS look-up.</summary>
    public string? CheckHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return CheckAddress(literal);
        }

        var name = host.TrimEnd('.').ToLowerInvariant();
        if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return AllowLoopback ? null : $"Points at this machine ({name}); {Public}.";
        }

        if (MetadataNames.Contains(name))
        {
            return $"Points at a cloud metadata service ({name}); {Public}.";
        }

        if (!name.Contains('.', StringComparison.Ordinal) || LocalSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)))
        {
            return $"Must be the store's public domain name; {name} is a local network name.";
        }

        return null;
    }

    /// <summary>Why Connector may not connect to <paramref name="address"/>, or null when it may.</summary>
    public string? CheckAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var kind = Classify(address);
        return kind == StoreAddressKind.Public || (kind == StoreAddressKind.Loopback && AllowLoopback)
            ? null
            : $"Points at {Describe(kind)} ({address}); {Public}.";
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the store clients: checks the request's address, resolves the host,
    /// refuses the connection if any address it resolves to is not allowed, and connects to the addresses it checked.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        if (context.InitialRequestMessage.RequestUri is { } uri && CheckTarget(uri) is { } refused)
        {
            throw new StoreAddressRefusedException($"The store address {Display(uri)} is not allowed: {refused}");
        }

        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        foreach (var address in addresses)
        {
            if (CheckAddress(address) is { } reason)
            {
                throw new StoreAddressRefusedException($"The store address {host} resolves to {address}, which is not allowed: {reason}");
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>scheme://host[:port]/path, without user info, query or fragment: what may be shown to the merchant.</summary>
    public static string Display(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Printable(uri.IsAbsoluteUri ? $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}" : uri.OriginalString.Split('?', '#')[0], 200);
    }

    /// <summary>Visible ASCII only, at most <paramref name="max"/> characters: safe to quote in a message or a log.</summary>
    public static string Printable(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = new string([.. text.Where(c => c is > ' ' and < (char)0x7F)]);
        return text.Length <= max ? text : text[..max] + "...";
    }

    /// <summary>What kind of network an address belongs to (IPv4-mapped, -compatible, NAT64 and 6to4 forms by the IPv4 they carry).</summary>
    public static StoreAddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return ClassifyV4(address.MapToIPv4().GetAddressBytes());
        }

        var b = address.GetAddressBytes();
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(b),
            AddressFamily.InterNetworkV6 => ClassifyV6(b),
            _ => StoreAddressKind.Reserved,
        };
    }

    private static StoreAddressKind ClassifyV4(byte[] b) => (b[0], b[1], b[2], b[3]) switch
    {
        (169, 254, 169, 254) or (168, 63, 129, 16) or (100, 100, 100, 200) or (192, 0, 0, 192) => StoreAddressKind.CloudMetadata,
        (0, _, _, _) => StoreAddressKind.Unspecified,
        (10, _, _, _) => StoreAddressKind.Private,
        (100, >= 64 and <= 127, _, _) => StoreAddressKind.SharedAddressSpace,
        (127, _, _, _) => StoreAddressKind.Loopback,
        (169, 254, _, _) => StoreAddressKind.LinkLocal,
        (172, >= 16 and <= 31, _, _) => StoreAddressKind.Private,
        (192, 168, _, _) => StoreAddressKind.Private,
        (192, 0, 0, _) or (192, 0, 2, _) or (192, 88, 99, _) or (198, 18 or 19, _, _) or (198, 51, 100, _) or (203, 0, 113, _) => StoreAddressKind.Reserved,
        (>= 224 and <= 239, _, _, _) => StoreAddressKind.Multicast,
        (>= 240, _, _, _) => StoreAddressKind.Reserved,
        _ => StoreAddressKind.Public,
    };

    private static StoreAddressKind ClassifyV6(byte[] b)
    {
        static bool Zero(byte[] bytes, int from, int to) => bytes.AsSpan(from, to - from).IndexOfAnyExcept((byte)0) < 0;

        if (Zero(b, 0, 16))
        {
            return StoreAddressKind.Unspecified;
        }

        if (Zero(b, 0, 15) && b[15] == 1)
        {
            return StoreAddressKind.Loopback;
        }

        if (Zero(b, 0, 12))
        {
            // IPv4-compatible (::a.b.c.d, deprecated): never a store's address, whatever it carries.
            var embedded = ClassifyV4(b[12..16]);
            return embedded == StoreAddressKind.Public ? StoreAddressKind.Reserved : embedded;
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && Zero(b, 4, 12))
        {
            return ClassifyV4(b[12..16]); // NAT64 64:ff9b::/96
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return ClassifyV4(b[2..6]); // 6to4 2002::/16
        }

        if (b[0] == 0xfd && b[1] == 0x00 && b[2] == 0x0e && b[3] == 0xc2 && Zero(b, 4, 14) && b[14] == 0x02 && b[15] == 0x54)
        {
            return StoreAddressKind.CloudMetadata; // fd00:ec2::254, AWS's IPv6 metadata address
        }

        return b switch
        {
            [>= 0xfc and <= 0xfd, ..] => StoreAddressKind.Private, // fc00::/7 unique local
            [0xfe, >= 0x80 and <= 0xbf, ..] => StoreAddressKind.LinkLocal, // fe80::/10
            [0xfe, >= 0xc0, ..] => StoreAddressKind.Private, // fec0::/10 site-local (deprecated)
            [0xff, ..] => StoreAddressKind.Multicast,
            [0x20, 0x01, 0x0d, 0xb8, ..] => StoreAddressKind.Reserved, // documentation
            [0x20, 0x01, 0x00, 0x00, ..] => StoreAddressKind.Reserved, // Teredo: the IPv4 it reaches is hidden
            [>= 0x20 and <= 0x3f, ..] => StoreAddressKind.Public, // 2000::/3 global unicast
            _ => StoreAddressKind.Reserved,
        };
    }

    private static string Describe(StoreAddressKind kind) => kind switch
    {
        StoreAddressKind.Loopback => "a loopback address (this machine)",
        StoreAddressKind.Private => "a private network address",
        StoreAddressKind.SharedAddressSpace => "a carrier-grade NAT address (100.64.0.0/10)",
        StoreAddressKind.LinkLocal => "a link-local address",
        StoreAddressKind.CloudMetadata => "a cloud metadata address",
        StoreAddressKind.Unspecified => "an unspecified address",
        StoreAddressKind.Multicast => "a multicast address",
        _ => "a reserved or broadcast address",
    };
}

/// <summary>The networks <see cref="StoreAddressPolicy"/> tells apart; only <see cref="Public"/> may be a store's.</summary>
public enum StoreAddressKind
{
    Public,
    Loopback,
    Private,
    SharedAddressSpace,
    LinkLocal,
    CloudMetadata,
    Unspecified,
    Multicast,
    Reserved,
}

/// <summary>A connection to a store address the policy does not allow; raised inside the connection, before anything is sent.</summary>
public sealed class StoreAddressRefusedException(string message) : Exception(message);
