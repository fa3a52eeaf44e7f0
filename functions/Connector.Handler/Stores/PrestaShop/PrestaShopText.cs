using System.Text;
using System.Text.RegularExpressions;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// Makes TikTok's free text acceptable to PrestaShop's field validators (Validate.php, 1.7/8), so a buyer's name with a
/// digit or an emoji-free but punctuated address does not make the whole import fail with "Property … is not valid".
/// </summary>
public static partial class PrestaShopText
{
    /// <summary>
    /// <c>isName</c> / <c>isCustomerName</c>: no digits, none of <c>!&lt;&gt;,;?=+()/\@#"°*`{}_^$%:¤[]|</c>, and a dot only before a
    /// space or at the end ("J. Smith"). TikTok's masked names ("J***") lose their stars; an empty result gets
    /// <paramref name="fallback"/>. At most 255 characters.
    /// </summary>
    public static string Name(string? value, string fallback)
    {
        var cleaned = NameForbidden().Replace(value ?? string.Empty, string.Empty);

        // A dot must be followed by a space or end the name: "J.Smith" becomes "J. Smith".
        cleaned = DotBeforeLetter().Replace(cleaned, ". ");
        cleaned = Spaces().Replace(cleaned, " ").Trim();
        if (cleaned.Length == 0 || cleaned.All(c => c == '.' || c == '。'))
        {
            return fallback;
        }

        return Truncate(cleaned, 255);
    }

    /// <summary><c>isAddress</c>: none of <c>!&lt;&gt;?=+@{}_$%</c>; at most <paramref name="max"/> characters.</summary>
    public static string Address(string? value, int max = 128) =>
        Truncate(Spaces().Replace(AddressForbidden().Replace(value ?? string.Empty, " "), " ").Trim(), max);

    /// <summary><c>isCityName</c>: none of <c>!&lt;&gt;;?=+@#"°{}_$%</c>; at most 64 characters.</summary>
    public static string City(string? value) =>
        Truncate(Spaces().Replace(CityForbidden().Replace(value ?? string.Empty, " "), " ").Trim(), 64);

    /// <summary><c>isPostCode</c>: letters, digits, spaces and dashes; at most 12 characters.</summary>
    public static string PostCode(string? value) => Truncate(PostCodeForbidden().Replace(value ?? string.Empty, string.Empty).Trim(), 12);

    /// <summary><c>isPhoneNumber</c>: digits and <c>+. ()/-</c> (TikTok's masking stars are dropped); at most 32 characters.</summary>
    public static string Phone(string? value) => Truncate(PhoneForbidden().Replace(value ?? string.Empty, string.Empty).Trim(), 32);

    /// <summary><c>isDniLite</c>: 1–16 of letters, digits, '-' and '.'; the last 16 characters are kept (order ids are 18 digits).</summary>
    public static string Dni(string value)
    {
        var cleaned = DniForbidden().Replace(value ?? string.Empty, string.Empty);
        return cleaned.Length > 16 ? cleaned[^16..] : cleaned;
    }

    /// <summary><c>isGenericName</c> / <c>isMessage</c>: none of <c>&lt;&gt;={}</c>.</summary>
    public static string Generic(string? value, int max) => Truncate(GenericForbidden().Replace(value ?? string.Empty, " ").Trim(), max);

    /// <summary><c>isTrackingNumber</c>; null when nothing valid is left.</summary>
    public static string? Tracking(string? value)
    {
        var cleaned = TrackingForbidden().Replace(value ?? string.Empty, string.Empty).Trim();
        return cleaned.Length == 0 ? null : Truncate(cleaned, 64);
    }

    /// <summary>A value inside a list filter <c>[...]</c>: the filter syntax characters cannot be escaped, so they are refused.</summary>
    public static bool IsFilterSafe(string value) => !value.AsSpan().ContainsAny("[]|,%");

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max].TrimEnd();

    internal static string Xml(string value)
    {
        // Characters XML 1.0 cannot carry are dropped rather than failing the whole body.
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\t' or '\n' or '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex("""[0-9!<>,;?=+()/\\@#"°*`{}_^$%:¤\[\]|]""")]
    private static partial Regex NameForbidden();

    [GeneratedRegex("""[.。](?=[^\s])""")]
    private static partial Regex DotBeforeLetter();

    [GeneratedRegex("""\s+""")]
    private static partial Regex Spaces();

    [GeneratedRegex("[!<>?=+@{}_$%]")]
    private static partial Regex AddressForbidden();

    [GeneratedRegex("""[!<>;?=+@#"°{}_$%]""")]
    private static partial Regex CityForbidden();

    [GeneratedRegex("[^a-zA-Z 0-9-]")]
    private static partial Regex PostCodeForbidden();

    [GeneratedRegex("[^+0-9. ()/-]")]
    private static partial Regex PhoneForbidden();

    [GeneratedRegex("[^0-9A-Za-z.-]")]
    private static partial Regex DniForbidden();

    [GeneratedRegex("[<>={}]")]
    private static partial Regex GenericForbidden();

    [GeneratedRegex("""[^~:#,%&_=()\[\].? +\-@/a-zA-Z0-9]""")]
    private static partial Regex TrackingForbidden();
}
