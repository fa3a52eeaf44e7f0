using System.Globalization;
using System.Text.RegularExpressions;

namespace Connector.Sandbox.PrestaShop.Webservice;

/// <summary>
/// PrestaShop's <c>Validate::*</c> rules (classes/Validate.php, 1.7/8) for the fields the simulator defines, and
/// ObjectModel::validateField's messages: required → "Property Class-&gt;field is empty.", size → "The length of
/// property … is currently N chars. It must be between 0 and M chars.", rule → "Property Class-&gt;field is not valid".
/// A rule runs only on a non-empty value (PHP <c>empty()</c>: "" and "0" are empty).
/// </summary>
internal static partial class WsValidate
{
    public static string? ValidateField(string className, WsField field, string value)
    {
        var name = className + "->" + field.Name;
        if (field.Required && value.Length == 0)
        {
            return $"Property {name} is empty.";
        }

        if (field.Size > 0 && value.Length > field.Size)
        {
            return $"The length of property {name} is currently {value.Length} chars. It must be between 0 and {field.Size} chars.";
        }

        if (field.Validate is not null && value.Length > 0 && value != "0" && !IsValid(field.Validate, value))
        {
            return $"Property {name} is not valid";
        }

        return null;
    }

    public static bool IsValid(string rule, string value) => rule switch
    {
        "isUnsignedId" or "isUnsignedInt" => IsUnsignedInt(value),
        "isNullOrUnsignedId" => IsUnsignedInt(value),
        "isPositiveInt" => IsUnsignedInt(value) && long.Parse(value, CultureInfo.InvariantCulture) > 0,
        "isInt" => IsInt(value),
        "isBool" => value is "0" or "1",
        "isPrice" => PricePattern().IsMatch(value),
        "isNegativePrice" => NegativePricePattern().IsMatch(value),
        "isFloat" => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        "isUnsignedFloat" => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 0,
        "isGenericName" => GenericNamePattern().IsMatch(value),
        "isName" => NamePattern().IsMatch(value),
        "isCustomerName" => IsCustomerName(value),
        "isCatalogName" or "isReference" or "isMpn" or "isCarrierName" => CatalogNamePattern().IsMatch(value),
        "isAddress" => AddressPattern().IsMatch(value),
        "isCityName" => CityNamePattern().IsMatch(value),
        "isPostCode" => PostCodePattern().IsMatch(value),
        "isPhoneNumber" => PhonePattern().IsMatch(value),
        "isDniLite" => DniPattern().IsMatch(value),
        "isMessage" => !MessageForbidden().IsMatch(value),
        "isEmail" => EmailPattern().IsMatch(value),
        "isPlaintextPassword" => value.Length is >= 5 and <= 72,
        "isMd5" => Md5Pattern().IsMatch(value),
        "isModuleName" => ModuleNamePattern().IsMatch(value),
        "isEan13" => EanPattern().IsMatch(value),
        "isUpc" => UpcPattern().IsMatch(value),
        "isIsbn" => IsbnPattern().IsMatch(value),
        "isDate" or "isDateFormat" or "isBirthDate" => value == "0000-00-00 00:00:00" || value == "0000-00-00" || DatePattern().IsMatch(value),
        "isReductionType" => value is "amount" or "percentage",
        "isLanguageIsoCode" => LanguageIsoPattern().IsMatch(value),
        "isStateIsoCode" => StateIsoPattern().IsMatch(value),
        "isTrackingNumber" => TrackingPattern().IsMatch(value),
        "isConfigName" => ConfigNamePattern().IsMatch(value),
        _ => true,
    };

    private static bool IsUnsignedInt(string value) =>
        IsInt(value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 0 and < 4294967296;

    // Validate::isInt: (string)(int)$value === (string)$value — no leading zeros, no decimals, no plus sign.
    private static bool IsInt(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n.ToString(CultureInfo.InvariantCulture) == value;

    /// <summary>Validate::isCustomerName (8.x): the name pattern, and a dot must be followed by a space or end the name.</summary>
    public static bool IsCustomerName(string value) =>
        CustomerNamePattern().IsMatch(value) && (!value.Contains('.', StringComparison.Ordinal) && !value.Contains('。', StringComparison.Ordinal) || DotSpacedPattern().IsMatch(value));

    [GeneratedRegex("""^(?!\s*$)(?:[^0-9!<>,;?=+()/\\@#"°*`{}_^$%:¤\[\]|.。]|[。.](?:\s|$))*$""")]
    private static partial Regex CustomerNamePattern();

    [GeneratedRegex("""[.。](\s{1}[^ ]|$)""")]
    private static partial Regex DotSpacedPattern();

    [GeneratedRegex("""^(?:[^0-9!<>,;?=+()/\\@#"°*`{}_^$%:¤\[\]|.。]|[.。](?:\s|$))*$""")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{1,10}(\\.[0-9]{1,9})?$")]
    private static partial Regex PricePattern();

    [GeneratedRegex("^[-]?[0-9]{1,10}(\\.[0-9]{1,9})?$")]
    private static partial Regex NegativePricePattern();

    [GeneratedRegex("^[^<>={}]*$")]
    private static partial Regex GenericNamePattern();

    [GeneratedRegex("^[^<>;=#{}]*$")]
    private static partial Regex CatalogNamePattern();

    [GeneratedRegex("^[^!<>?=+@{}_$%]*$")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("""^[^!<>;?=+@#"°{}_$%]*$""")]
    private static partial Regex CityNamePattern();

    [GeneratedRegex("^[a-zA-Z 0-9-]+$")]
    private static partial Regex PostCodePattern();

    [GeneratedRegex("^[+0-9. ()/-]*$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^[0-9A-Za-z-.]{1,16}$")]
    private static partial Regex DniPattern();

    [GeneratedRegex("[<>{}]")]
    private static partial Regex MessageForbidden();

    [GeneratedRegex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[a-fA-F0-9]{32}$")]
    private static partial Regex Md5Pattern();

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex ModuleNamePattern();

    [GeneratedRegex("^[0-9]{0,13}$")]
    private static partial Regex EanPattern();

    [GeneratedRegex("^[0-9]{0,12}$")]
    private static partial Regex UpcPattern();

    [GeneratedRegex("^[0-9-]{0,32}$")]
    private static partial Regex IsbnPattern();

    [GeneratedRegex("^([0-9]{4})-((0?[0-9])|(1[0-2]))-((0?[0-9])|([1-2][0-9])|(3[01]))( [0-9]{2}:[0-9]{2}:[0-9]{2})?$")]
    private static partial Regex DatePattern();

    [GeneratedRegex("^[a-zA-Z]{2,3}$")]
    private static partial Regex LanguageIsoPattern();

    [GeneratedRegex("^[a-zA-Z0-9]{1,4}((-)[a-zA-Z0-9]{1,4})?$")]
    private static partial Regex StateIsoPattern();

    [GeneratedRegex("^[~:#,%&_=\\(\\)\\[\\]\\.\\? \\+\\-@/a-zA-Z0-9]+$")]
    private static partial Regex TrackingPattern();

    [GeneratedRegex("^[a-zA-Z_0-9-]+$")]
    private static partial Regex ConfigNamePattern();
}
