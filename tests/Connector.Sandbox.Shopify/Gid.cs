using System.Globalization;

namespace Connector.Sandbox.Shopify;

/// <summary>Shopify global ids: <c>gid://shopify/{Type}/{number}</c>.</summary>
internal static class Gid
{
    public static string Create(string type, long number) => $"gid://shopify/{type}/{number.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? gid, string type, out long number)
    {
        number = 0;
        var prefix = $"gid://shopify/{type}/";
        return gid is not null
            && gid.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(gid.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    public static long Number(string gid) => long.Parse(gid.AsSpan(gid.LastIndexOf('/') + 1), CultureInfo.InvariantCulture);
}

/// <summary>
/// Numbers behind gids, unique across the whole simulator like Shopify's. They start above Int32.MaxValue so a
/// client that stores ids in an <c>int</c> fails in tests rather than in production.
/// </summary>
internal sealed class IdSource
{
    private long _next = 8_000_000_000;

    public long Next() => Interlocked.Increment(ref _next);
}
