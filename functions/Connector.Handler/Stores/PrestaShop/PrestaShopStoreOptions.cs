using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// A PrestaShop shop's non-secret options (<c>store.options</c> of <c>PUT /api/shops/{shopId}</c>, stored as
/// <c>StoreOptionsJson</c>). Everything has a default that works on a fresh 1.7/8 install.
/// </summary>
public sealed partial record PrestaShopStoreOptions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The payment module validateOrder runs (technical name); it must be installed and active.</summary>
    public string PaymentModule { get; init; } = "ps_checkpayment";

    /// <summary>The payment method label shown on the order.</summary>
    public string PaymentLabel { get; init; } = "TikTok Shop";

    /// <summary>The PS_OS_* configuration key of the state an imported order is moved to (resolved to this shop's id).</summary>
    public string OrderStateOnImport { get; init; } = "PS_OS_PAYMENT";

    /// <summary>Language of the cart and customer; default PS_LANG_DEFAULT.</summary>
    public int? IdLang { get; init; }

    /// <summary>Carrier of the cart; default PS_CARRIER_DEFAULT. A free carrier keeps TikTok's shipping out of the PrestaShop total.</summary>
    public int? IdCarrier { get; init; }

    /// <summary>DNI for countries that require one; default the TikTok order id (its last 16 characters).</summary>
    public string? DniPlaceholder { get; init; }

    /// <summary>
    /// Last resort for hosts that strip the Authorization header: send the key as <c>?ws_key=</c> (it then appears in the
    /// shop's access logs). Off by default; the connection check explains the proper fix.
    /// </summary>
    public bool AuthInQuery { get; init; }

    /// <summary>The back office address (with its secret folder), for links to the order, e.g. https://shop.example/admin123.</summary>
    public string? AdminUrl { get; init; }

    public static PrestaShopStoreOptions Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new PrestaShopStoreOptions();
        }

        try
        {
            return JsonSerializer.Deserialize<PrestaShopStoreOptions>(json, Json) ?? new PrestaShopStoreOptions();
        }
        catch (JsonException e)
        {
            throw new StoreRejectedException($"The PrestaShop options are not valid: {e.Message}");
        }
    }

    /// <summary>Field → messages for <c>store.options.*</c>.</summary>
    public static Dictionary<string, string[]> Validate(JsonElement? element)
    {
        var errors = new Dictionary<string, string[]>();
        if (element is not { ValueKind: JsonValueKind.Object } value)
        {
            return errors;
        }

        PrestaShopStoreOptions options;
        try
        {
            options = value.Deserialize<PrestaShopStoreOptions>(Json) ?? new PrestaShopStoreOptions();
        }
        catch (JsonException e)
        {
            errors["store.options"] = [$"PrestaShop options: paymentModule, paymentLabel, orderStateOnImport, idLang, idCarrier, dniPlaceholder, authInQuery, adminUrl ({e.Message})."];
            return errors;
        }

        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors[$"store.options.{field}"] = [message];
            }
        }

        Check(ModuleName().IsMatch(options.PaymentModule), "paymentModule", "The module's technical name, e.g. ps_checkpayment or ps_wirepayment.");
        Check(options.PaymentLabel.Length is > 0 and <= 255 && !options.PaymentLabel.AsSpan().ContainsAny("<>={}"), "paymentLabel", "1–255 characters, none of <>={}.");
        Check(StateKey().IsMatch(options.OrderStateOnImport), "orderStateOnImport", "A configuration key such as PS_OS_PAYMENT or PS_OS_PREPARATION (never a raw id: ids differ from shop to shop).");
        Check(options.IdLang is null or > 0, "idLang", "A language id (positive).");
        Check(options.IdCarrier is null or > 0, "idCarrier", "A carrier id (positive).");
        Check(options.DniPlaceholder is null || Dni().IsMatch(options.DniPlaceholder), "dniPlaceholder", "1–16 letters, digits, '-' or '.'.");
        Check(options.AdminUrl is null || (Uri.TryCreate(options.AdminUrl, UriKind.Absolute, out var admin) && admin.Scheme is "https" or "http"), "adminUrl", "An absolute http(s) URL.");
        return errors;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ModuleName();

    [GeneratedRegex("^PS_OS_[A-Z0-9_]{1,60}$")]
    private static partial Regex StateKey();

    [GeneratedRegex("^[0-9A-Za-z.-]{1,16}$")]
    private static partial Regex Dni();
}
