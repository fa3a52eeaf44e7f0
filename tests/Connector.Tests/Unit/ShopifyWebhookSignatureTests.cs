using System.Text;
using Connector.Stores.Shopify;

namespace Connector.Tests.Unit;

/// <summary>Shopify signs a webhook's raw body: base64 HMAC-SHA256 with the app's API secret key (X-Shopify-Hmac-Sha256).</summary>
public sealed class ShopifyWebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":820982911946154508}");

    // Computed independently: base64(hmac.new(b"hush", body, hashlib.sha256).digest()) in Python.
    private const string Expected = "qBvrsZF7RfB1iS6BX6IHqJTp5L911P7intnPeTPsH0I=";

    [Fact]
    public void The_signature_over_the_exact_bytes_with_the_app_secret_matches() =>
        Assert.True(ShopifyWebhooks.SignatureMatches("hush", Body, Expected));

    [Theory]
    [InlineData("wrong", Expected)]
    [InlineData("hush", "qBvrsZF7RfB1iS6BX6IHqJTp5L911P7intnPeTPsH0J=")]
    [InlineData("hush", "not base64!")]
    [InlineData("hush", "")]
    [InlineData("", Expected)]
    public void A_wrong_secret_a_changed_signature_or_a_missing_one_does_not_match(string secret, string header) =>
        Assert.False(ShopifyWebhooks.SignatureMatches(secret, Body, header));

    [Fact]
    public void One_changed_byte_of_the_body_does_not_match() =>
        Assert.False(ShopifyWebhooks.SignatureMatches("hush", Encoding.UTF8.GetBytes("{\"id\":820982911946154509}"), Expected));
}
