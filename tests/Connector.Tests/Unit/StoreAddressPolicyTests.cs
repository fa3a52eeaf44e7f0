using System.Net;
using System.Net.Sockets;
using Connector.Stores;
using Microsoft.Extensions.Options;

namespace Connector.Tests.Unit;

/// <summary>Design §3, §6.1: merchant-given store addresses are called only over https on public addresses, checked on the resolved IP.</summary>
public sealed class StoreAddressPolicyTests
{
    public static TheoryData<string, StoreAddressKind> Addresses => new()
    {
        { "0.0.0.0", StoreAddressKind.Unspecified },
        { "0.1.2.3", StoreAddressKind.Unspecified },
        { "10.0.0.1", StoreAddressKind.Private },
        { "10.255.255.255", StoreAddressKind.Private },
        { "100.64.0.1", StoreAddressKind.SharedAddressSpace },
        { "100.127.255.254", StoreAddressKind.SharedAddressSpace },
        { "100.100.100.200", StoreAddressKind.CloudMetadata },
        { "127.0.0.1", StoreAddressKind.Loopback },
        { "127.8.9.10", StoreAddressKind.Loopback },
        { "169.254.0.1", StoreAddressKind.LinkLocal },
        { "169.254.169.254", StoreAddressKind.CloudMetadata },
        { "168.63.129.16", StoreAddressKind.CloudMetadata },
        { "172.16.0.1", StoreAddressKind.Private },
        { "172.31.255.255", StoreAddressKind.Private },
        { "192.168.1.1", StoreAddressKind.Private },
        { "192.0.2.10", StoreAddressKind.Reserved },
        { "198.18.0.1", StoreAddressKind.Reserved },
        { "224.0.0.1", StoreAddressKind.Multicast },
        { "239.255.255.250", StoreAddressKind.Multicast },
        { "240.0.0.1", StoreAddressKind.Reserved },
        { "255.255.255.255", StoreAddressKind.Reserved },
        { "::", StoreAddressKind.Unspecified },
        { "::1", StoreAddressKind.Loopback },
        { "fc00::1", StoreAddressKind.Private },
        { "fd12:3456:789a::1", StoreAddressKind.Private },
        { "fd00:ec2::254", StoreAddressKind.CloudMetadata },
        { "fe80::1", StoreAddressKind.LinkLocal },
        { "febf::1", StoreAddressKind.LinkLocal },
        { "ff02::1", StoreAddressKind.Multicast },
        { "2001:db8::1", StoreAddressKind.Reserved },
        { "::ffff:127.0.0.1", StoreAddressKind.Loopback },
        { "::ffff:169.254.169.254", StoreAddressKind.CloudMetadata },
        { "::ffff:10.1.2.3", StoreAddressKind.Private },
        { "::ffff:192.168.0.1", StoreAddressKind.Private },
        { "::127.0.0.1", StoreAddressKind.Loopback },
        { "::169.254.169.254", StoreAddressKind.CloudMetadata },
        { "::8.8.8.8", StoreAddressKind.Reserved },
        { "64:ff9b::127.0.0.1", StoreAddressKind.Loopback },
        { "2002:a9fe:a9fe::1", StoreAddressKind.CloudMetadata },
        { "2002:c0a8:0101::1", StoreAddressKind.Private },
        { "8.8.8.8", StoreAddressKind.Public },
        { "23.227.38.65", StoreAddressKind.Public },
        { "100.63.255.255", StoreAddressKind.Public },
        { "100.128.0.0", StoreAddressKind.Public },
        { "172.15.255.255", StoreAddressKind.Public },
        { "172.32.0.0", StoreAddressKind.Public },
        { "::ffff:8.8.8.8", StoreAddressKind.Public },
        { "64:ff9b::8.8.8.8", StoreAddressKind.Public },
        { "2606:4700::6810:84e5", StoreAddressKind.Public },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void Every_address_is_classified_by_the_network_it_belongs_to(string address, StoreAddressKind expected) =>
        Assert.Equal(expected, StoreAddressPolicy.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://my-shop.example.com", "https://")]
    [InlineData("https://user:secret@my-shop.example.com", "user name or password")]
    [InlineData("https://user@my-shop.example.com", "user name or password")]
    [InlineData("https://my-shop.example.com:8443", "port")]
    [InlineData("https://my-shop.example.com/?redirect=1", "query")]
    [InlineData("https://127.0.0.1", "loopback")]
    [InlineData("https://169.254.169.254", "metadata")]
    [InlineData("https://[::1]", "loopback")]
    [InlineData("https://[::ffff:169.254.169.254]", "metadata")]
    [InlineData("https://[fd00::1]", "private")]
    [InlineData("https://10.0.0.8", "private")]
    [InlineData("https://100.64.1.1", "carrier-grade NAT")]
    [InlineData("https://0.0.0.0", "unspecified")]
    [InlineData("https://localhost", "this machine")]
    [InlineData("https://shop.localhost", "this machine")]
    [InlineData("https://metadata.google.internal", "metadata")]
    [InlineData("https://metadata.google.internal.", "metadata")]
    [InlineData("https://instance-data", "metadata")]
    [InlineData("https://intranet-shop", "local network name")]
    [InlineData("https://shop.corp.internal", "local network name")]
    [InlineData("ftp://my-shop.example.com", "absolute https URL")]
    [InlineData("my-shop.example.com", "absolute https URL")]
    [InlineData("", "absolute https URL")]
    public void A_store_address_that_is_not_https_on_a_public_host_is_refused_with_the_reason(string url, string reason)
    {
        var problem = Policy(allowLoopback: false).CheckBaseUrl(url);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://my-shop.myshopify.com")]
    [InlineData("https://my-shop.myshopify.com/")]
    [InlineData("https://shop.example.com/prestashop")]
    [InlineData("https://shop.example.com:443")]
    [InlineData("https://8.8.8.8")]
    [InlineData("https://[2606:4700::6810:84e5]")]
    public void A_public_https_store_address_is_accepted(string url) =>
        Assert.Null(Policy(allowLoopback: false).CheckBaseUrl(url));

    [Theory]
    [InlineData("http://127.0.0.1:5123/stores/demo", true)]
    [InlineData("http://localhost:5123", true)]
    [InlineData("http://[::1]:5123", true)]
    [InlineData("http://10.0.0.8:5123", false)]
    [InlineData("http://169.254.169.254", false)]
    [InlineData("http://user:pass@127.0.0.1:5123", false)]
    public void Allow_loopback_relaxes_https_loopback_and_the_port_but_nothing_else(string url, bool accepted) =>
        Assert.Equal(accepted, Policy(allowLoopback: true).CheckBaseUrl(url) is null);

    [Theory]
    [InlineData("shpat_0123456789abcdef", true)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", true)]
    [InlineData("12345678.abc-DEF_ghi~jkl", true)]
    [InlineData("shpat_abc\r\nX-Injected: 1", false)]
    [InlineData("shpat_abc\n", false)]
    [InlineData("shpat abc", false)]
    [InlineData("shpat_abc\t", false)]
    [InlineData("shpat_é", false)]
    [InlineData("shpat_\u0000", false)]
    public void A_credential_must_be_visible_ascii_to_go_into_a_header(string value, bool accepted) =>
        Assert.Equal(accepted, StoreAnswers.CheckCredential(value) is null);

    [Fact]
    public void An_absurdly_long_credential_is_refused() =>
        Assert.Contains("Too long", StoreAnswers.CheckCredential(new string('a', StoreAnswers.MaxCredentialLength + 1)), StringComparison.Ordinal);

    [Fact]
    public async Task A_name_that_resolves_to_a_loopback_address_is_refused_before_any_connection()
    {
        var policy = Policy(allowLoopback: false, ("my-shop.example.com", [IPAddress.Loopback]));
        using var http = Client(policy);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("https://my-shop.example.com/")));

        // Refused by the check on the resolved address (before a socket exists), not by a failed TLS handshake on port 443.
        var refused = Assert.IsType<StoreAddressRefusedException>(error.InnerException);
        Assert.Contains("resolves to 127.0.0.1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_with_one_private_address_among_public_ones_is_refused()
    {
        var policy = Policy(allowLoopback: false, ("mixed.example.com", [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.5")]));
        using var http = Client(policy);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("https://mixed.example.com/")));

        Assert.Contains("10.0.0.5", Assert.IsType<StoreAddressRefusedException>(error.InnerException).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_allow_loopback_the_connection_goes_to_the_checked_loopback_address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // The name resolves (through the policy's resolver, not the system's) to the listener's address: that is where it connects.
        var policy = Policy(allowLoopback: true, ("sandbox-shop.example.com", [IPAddress.Loopback]));
        using var http = Client(policy);
        var request = http.GetAsync(new Uri($"http://sandbox-shop.example.com:{port}/"));

        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var stream = accepted.GetStream();
        await stream.WriteAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray());
        await stream.FlushAsync();

        using var response = await request;
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task A_request_to_a_disallowed_scheme_is_refused_at_the_connection_too()
    {
        using var http = Client(Policy(allowLoopback: false, ("plain.example.com", [IPAddress.Parse("93.184.216.34")])));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("http://plain.example.com/")));

        Assert.Contains("https://", Assert.IsType<StoreAddressRefusedException>(error.InnerException).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_excerpt_of_an_answer_has_no_tags_no_control_characters_and_no_secrets()
    {
        var body = "<html><head><title>Log in</title></head><body>\r\n\u0007token shpat_SECRET123 echoed " + new string('x', 500) + "</body></html>";

        var excerpt = StoreAnswers.Excerpt(body, "text/html", "shpat_SECRET123");

        Assert.StartsWith("text/html: \"Log in token [secret] echoed x", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_SECRET123", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("<", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", excerpt, StringComparison.Ordinal);
        Assert.True(excerpt.Length < 220, excerpt);
    }

    private static StoreAddressPolicy Policy(bool allowLoopback, params (string Name, IPAddress[] Addresses)[] names) =>
        new(Options.Create(new StoresOptions { AllowLoopback = allowLoopback }), new FixedResolver(names.ToDictionary(n => n.Name, n => n.Addresses)));

    private static HttpClient Client(StoreAddressPolicy policy) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, ConnectCallback = policy.ConnectAsync }) { Timeout = TimeSpan.FromSeconds(10) };

    private sealed class FixedResolver(Dictionary<string, IPAddress[]> names) : IStoreHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : throw new SocketException((int)SocketError.HostNotFound);
    }
}
