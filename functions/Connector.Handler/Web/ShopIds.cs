using System.Text.RegularExpressions;

namespace Connector.Web;

/// <summary>Shop ids are table keys and URL segments: letters, digits, '-', '_' only.</summary>
public static partial class ShopIds
{
    public static bool IsValid(string? shopId) => shopId is not null && Pattern().IsMatch(shopId);

    public const string Rule = "A shop id is 1–64 letters, digits, '-' or '_'.";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Pattern();
}
