namespace Connector.Sandbox.TikTok.Tests;

/// <summary>The test signer against every vector of §2.3 (API sign) and §7.4 (webhook signature).</summary>
public sealed class SigningVectorTests
{
    private const string Secret = "e59af819cc";
    private const string Cipher = "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK";

    private static KeyValuePair<string, string>[] Q(params string[] pairs) =>
        [.. pairs.Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1]))];

    [Fact]
    public void V1_official_SignDoc_example_for_authorization_shops()
    {
        Assert.Equal(
            "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8",
            TestSigner.Sign(Secret, "/authorization/202309/shops", Q("app_key=29a39d", "timestamp=1623812664"), (string?)null));
    }

    [Fact]
    public void V2_get_webhooks_with_shop_cipher()
    {
        Assert.Equal(
            "ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37",
            TestSigner.Sign(Secret, "/event/202309/webhooks", Q("app_key=68xu9ks5p4i8", $"shop_cipher={Cipher}", "timestamp=1696909648"), (string?)null));
    }

    [Fact]
    public void V3_put_with_body_signs_exact_body_bytes()
    {
        Assert.Equal(
            "701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7",
            TestSigner.Sign(Secret, "/event/202309/webhooks", Q("app_key=68xu9ks5p4i8", $"shop_cipher={Cipher}", "timestamp=1696909648"),
                """{"event_type":"PACKAGE_UPDATE","address":"https://partner.tiktokshop.com"}"""));
    }

    [Fact]
    public void V4_body_field_order_changes_the_sign()
    {
        Assert.Equal(
            "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a",
            TestSigner.Sign(Secret, "/event/202309/webhooks", Q("app_key=68xu9ks5p4i8", $"shop_cipher={Cipher}", "timestamp=1696909648"),
                """{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}"""));
    }

    [Fact]
    public void V5_EcomPHP_prepare_signature()
    {
        Assert.Equal(
            "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f",
            TestSigner.Sign("app_secret", "/test-api", Q("foo=bar"), (string?)null));
    }

    [Fact]
    public void V6_order_search_with_paging_query_and_filter_body()
    {
        Assert.Equal(
            "7a32ee5df2feef0b2f7fec9342c4ae1783c05c11a249d76648fdbf5d2119c457",
            TestSigner.Sign(Secret, "/order/202309/orders/search",
                Q("app_key=68xu9ks5p4i8", "page_size=50", $"shop_cipher={Cipher}", "sort_field=update_time", "sort_order=ASC", "timestamp=1696909648"),
                """{"order_status":"AWAITING_SHIPMENT","update_time_ge":1696900000,"update_time_lt":1696909000}"""));
    }

    [Fact]
    public void V7_page_token_with_plus_and_slash_is_signed_decoded()
    {
        Assert.Equal(
            "bf6530aee0f4b7c263649c97f38d058e788fcefcdfa2bd6dae60060dc4edde1c",
            TestSigner.Sign(Secret, "/order/202309/orders/search",
                Q("app_key=68xu9ks5p4i8", "page_size=50", $"shop_cipher={Cipher}", "sort_field=update_time", "sort_order=ASC", "timestamp=1696909648",
                  "page_token=6AsPQsUMvH3RkchNUPPh22NROHkE0D8pmq/N5M1kHYcZmtRyv9aVrNv65W7Q6tFA+7D1ud64MPNz5OaT"),
                """{"order_status":"AWAITING_SHIPMENT","update_time_ge":1696900000,"update_time_lt":1696909000}"""));
    }

    [Fact]
    public void V8_order_detail_ids_comma_joined()
    {
        Assert.Equal(
            "430da34f95cb3a1d89092db6452a30d8bd2ca1d4de1b5c00d716a5362377b015",
            TestSigner.Sign(Secret, "/order/202309/orders",
                Q("app_key=68xu9ks5p4i8", "ids=576461413038785752,576486316948490001", $"shop_cipher={Cipher}", "timestamp=1696909648"), (string?)null));
    }

    [Fact]
    public void V9_mark_package_as_shipped_with_body()
    {
        Assert.Equal(
            "5a20b1ecebced322ee84d88ee6bd38b543eff25a74b6c8d354e955e055a8a7d6",
            TestSigner.Sign(Secret, "/fulfillment/202309/orders/576461413038785752/packages",
                Q("app_key=68xu9ks5p4i8", $"shop_cipher={Cipher}", "timestamp=1696909648"),
                """{"tracking_number":"1Z999AA10123456784","shipping_provider_id":"7117858858072016686","order_line_item_ids":["577086512123755123"]}"""));
    }

    [Fact]
    public void V10_unicode_body_is_signed_as_utf8()
    {
        Assert.Equal(
            "0a5eb329a5381a5e571ba9340905375ed164bf6c6ebad10207f65ba80a739f92",
            TestSigner.Sign(Secret, "/p", Q("app_key=k", "timestamp=1"), """{"title":"Größe – ✓"}"""));
    }

    [Fact]
    public void V11_empty_query_value_is_kept_as_key_only()
    {
        Assert.Equal(
            "0e63cdd4008fda01927b6f88691a863ce0d2fc3e60ba15408fd2c15783f5a5c4",
            TestSigner.Sign(Secret, "/authorization/202309/shops", Q("app_key=29a39d", "shop_id=", "timestamp=1623812664"), (string?)null));
    }

    [Fact]
    public void Sign_and_access_token_query_keys_are_excluded()
    {
        var plain = TestSigner.Sign(Secret, "/authorization/202309/shops", Q("app_key=29a39d", "timestamp=1623812664"), (string?)null);
        Assert.Equal(plain, TestSigner.Sign(Secret, "/authorization/202309/shops", Q("app_key=29a39d", "timestamp=1623812664", "sign=x", "access_token=y"), (string?)null));
    }

    [Fact]
    public void W1_webhook_signature_EcomPHP_vector()
    {
        const string body = """{"type":1,"shop_id":"7494726673780148744","timestamp":1664095733,"data":{"order_id":"576684019603311365","order_status":"AWAITING_SHIPMENT","update_time":1664095610}}""";
        Assert.Equal("21109834de72ec53c9959716d8514ae388ce1f123e5ffdcafc46713fcdf62b27", TestSigner.WebhookSign("fake_app_key", "fake_app_secret", body));
    }

    [Fact]
    public void W2_webhook_signature_of_the_WH1Doc_sample()
    {
        const string body = """{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621","timestamp":1644412885,"data":{"order_id":"576486316948490001","order_status":"UNPAID","is_on_hold_order":false,"update_time":1644412885}}""";
        Assert.Equal("06df0a3bb1cbfd036bb92b7ed2b3783a4a5dab99829bd58ac49815b67d92c2dc", TestSigner.WebhookSign("68xu9ks5p4i8", "e59af819cc", body));
    }
}
