using System.Globalization;

namespace Connector.Stores.PrestaShop;

/// <summary>
/// PrestaShop dates are the shop's wall-clock time: PHP's default time zone is set to PS_TIMEZONE, and date_add/date_upd
/// are <c>date('Y-m-d H:i:s')</c> in it, whole seconds, no offset. Filters compare those strings, so instants go through here.
/// </summary>
internal static class PrestaShopTime
{
    private const string Pattern = "yyyy-MM-dd HH:mm:ss";

    /// <summary>The shop's zone from PS_TIMEZONE (an IANA id); UTC when unset or unknown to this machine.</summary>
    public static TimeZoneInfo Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>The shop's wall-clock time at <paramref name="instant"/>, truncated to the second as PrestaShop stores it.</summary>
    public static DateTime Local(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Unspecified);
    }

    public static string Format(DateTime local) => local.ToString(Pattern, CultureInfo.InvariantCulture);

    public static bool TryParseLocal(string? value, out DateTime local) =>
        DateTime.TryParseExact(value, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    /// <summary>A wall-clock time of the shop as an instant (in the DST fall-back hour, the later of the two).</summary>
    public static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone) => new(local, zone.GetUtcOffset(local));
}
