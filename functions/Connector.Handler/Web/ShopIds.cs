using System.Text.RegularExpressions;

namespace Connector.Web;

/// <summary>Shop ids are table keys and URL segments: letters, digits, '-', '_' only.</summary>
public static partial class ShopIds
{
    public static bool IsValid(string? shopId) => shopId is not null && Pattern().IsMatch(shopId);

    public const string Rule = "A shop id is 1–64 letters, digits, '-' or '_'.";

    /// <summary>The 400 answer for a missing or malformed shop id (path segment or query parameter).</summary>
    public static IResult Problem() =>
        Problems.Invalid(new Dictionary<string, string[]> { ["shopId"] = ["Required: " + Rule] });

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Pattern();
}
