using System.Text;
using Connector.TikTok;

namespace Connector.Tests.Unit;

/// <summary>Every published vector of reference/tiktok-shop-api.md §2.3 (requests) and §7.4 (webhooks).</summary>
public sealed class TikTokSignerTests
{
    private const string Secret = "e59af819cc";
    private const string Cipher = "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK";

    public static TheoryData<string, string, string, string, string> RequestVectors => new()
    {
        // name, secret, path, query (k=v&k=v, decoded values), body
        { "V1 official SignDoc example", Secret, "/authorization/202309/shops", "app_key=29a39d&timestamp=1623812664", "" },
        { "V2 shop-scoped GET", Secret, "/event/202309/webhooks", $"app_key=68xu9ks5p4i8&shop_cipher={Cipher}&timestamp=1696909648", "" },
        { "V3 PUT with body", Secret, "/event/202309/webhooks", $"app_key=68xu9ks5p4i8&shop_cipher={Cipher}&timestamp=1696909648", """{"event_type":"PACKAGE_UPDATE","address":"https://partner.tiktokshop.com"}""" },
        { "V4 body byte order matters", Secret, "/event/202309/webhooks", $"app_key=68xu9ks5p4i8&shop_cipher={Cipher}&timestamp=1696909648", """{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}""" },
        { "V5 EcomPHP", "app_secret", "/test-api", "foo=bar", "" },
        { "V6 order search", Secret, "/order/202309/orders/search", $"app_key=68xu9ks5p4i8&page_size=50&shop_cipher={Cipher}&sort_field=update_time&sort_order=ASC&timestamp=1696909648", """{"order_status":"AWAITING_SHIPMENT","update_time_ge":1696900000,"update_time_lt":1696909000}""" },
        { "V7 page token signed decoded", Secret, "/order/202309/orders/search", $"app_key=68xu9ks5p4i8&page_size=50&page_token=6AsPQsUMvH3RkchNUPPh22NROHkE0D8pmq/N5M1kHYcZmtRyv9aVrNv65W7Q6tFA+7D1ud64MPNz5OaT&shop_cipher={Cipher}&sort_field=update_time&sort_order=ASC&timestamp=1696909648", """{"order_status":"AWAITING_SHIPMENT","update_time_ge":1696900000,"update_time_lt":1696909000}""" },
        { "V8 order detail ids comma-joined", Secret, "/order/202309/orders", $"app_key=68xu9ks5p4i8&ids=576461413038785752,576486316948490001&shop_cipher={Cipher}&timestamp=1696909648", "" },
        { "V9 mark package shipped", Secret, "/fulfillment/202309/orders/576461413038785752/packages", $"app_key=68xu9ks5p4i8&shop_cipher={Cipher}&timestamp=1696909648", """{"tracking_number":"1Z999AA10123456784","shipping_provider_id":"7117858858072016686","order_line_item_ids":["577086512123755123"]}""" },
        { "V10 UTF-8 body", Secret, "/p", "app_key=k&timestamp=1", """{"title":"Größe – ✓"}""" },
        { "V11 empty value kept", Secret, "/authorization/202309/shops", "app_key=29a39d&shop_id=&timestamp=1623812664", "" },
    };

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["V1 official SignDoc example"] = "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8",
        ["V2 shop-scoped GET"] = "ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37",
        ["V3 PUT with body"] = "701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7",
        ["V4 body byte order matters"] = "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a",
        ["V5 EcomPHP"] = "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f",
        ["V6 order search"] = "7a32ee5df2feef0b2f7fec9342c4ae1783c05c11a249d76648fdbf5d2119c457",
        ["V7 page token signed decoded"] = "bf6530aee0f4b7c263649c97f38d058e788fcefcdfa2bd6dae60060dc4edde1c",
        ["V8 order detail ids comma-joined"] = "430da34f95cb3a1d89092db6452a30d8bd2ca1d4de1b5c00d716a5362377b015",
        ["V9 mark package shipped"] = "5a20b1ecebced322ee84d88ee6bd38b543eff25a74b6c8d354e955e055a8a7d6",
        ["V10 UTF-8 body"] = "0a5eb329a5381a5e571ba9340905375ed164bf6c6ebad10207f65ba80a739f92",
        ["V11 empty value kept"] = "0e63cdd4008fda01927b6f88691a863ce0d2fc3e60ba15408fd2c15783f5a5c4",
    };

    [Theory]
    [MemberData(nameof(RequestVectors))]
    public void Request_signature_matches_the_published_vector(string name, string secret, string path, string query, string body)
    {
        var pairs = query.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1]));

        var sign = TikTokSigner.Sign(secret, path, pairs, Encoding.UTF8.GetBytes(body), "application/json");

        Assert.Equal(Expected[name], sign);
    }

    [Fact]
    public void Sign_and_access_token_parameters_are_left_out_of_the_signature()
    {
        var plain = TikTokSigner.Sign(Secret, "/authorization/202309/shops", [new("app_key", "29a39d"), new("timestamp", "1623812664")], [], null);
        var withExtras = TikTokSigner.Sign(Secret, "/authorization/202309/shops",
            [new("sign", "x"), new("access_token", "y"), new("timestamp", "1623812664"), new("app_key", "29a39d")], [], null);

        Assert.Equal(Expected["V1 official SignDoc example"], plain);
        Assert.Equal(plain, withExtras);
    }

    [Fact]
    public void Multipart_bodies_are_not_signed()
    {
        var query = new KeyValuePair<string, string>[] { new("app_key", "29a39d"), new("timestamp", "1623812664") };

        var sign = TikTokSigner.Sign(Secret, "/authorization/202309/shops", query, "--boundary--"u8, "multipart/form-data; boundary=x");

        Assert.Equal(Expected["V1 official SignDoc example"], sign);
    }

    [Theory]
    [InlineData("fake_app_key", "fake_app_secret",
        """{"type":1,"shop_id":"7494726673780148744","timestamp":1664095733,"data":{"order_id":"576684019603311365","order_status":"AWAITING_SHIPMENT","update_time":1664095610}}""",
        "21109834de72ec53c9959716d8514ae388ce1f123e5ffdcafc46713fcdf62b27")]
    [InlineData("68xu9ks5p4i8", "e59af819cc",
        """{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621","timestamp":1644412885,"data":{"order_id":"576486316948490001","order_status":"UNPAID","is_on_hold_order":false,"update_time":1644412885}}""",
        "06df0a3bb1cbfd036bb92b7ed2b3783a4a5dab99829bd58ac49815b67d92c2dc")]
    public void Webhook_signature_matches_vectors_W1_and_W2(string appKey, string appSecret, string body, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Equal(expected, TikTokSigner.SignWebhook(appKey, appSecret, bytes));
        Assert.True(TikTokSigner.WebhookSignatureMatches(appKey, appSecret, bytes, expected));
        Assert.False(TikTokSigner.WebhookSignatureMatches(appKey, appSecret, bytes, expected[..^1] + "0"));
        Assert.False(TikTokSigner.WebhookSignatureMatches(appKey, appSecret, bytes, null));
    }
}
