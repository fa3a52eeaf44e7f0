using System.Globalization;
using Cronos;

namespace Connector.Sandbox.Functions;

/// <summary>A timerTrigger schedule: NCRONTAB with six fields (seconds first, UTC, §1.4) or a TimeSpan interval (hh:mm:ss).</summary>
internal sealed class TimerSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeSpan? _interval;

    private TimerSchedule(CronExpression? cron, TimeSpan? interval)
    {
        _cron = cron;
        _interval = interval;
    }

    public static TimerSchedule Parse(string schedule, string functionName)
    {
        var parts = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 6)
        {
            try
            {
                return new TimerSchedule(CronExpression.Parse(schedule, CronFormat.IncludeSeconds), null);
            }
            catch (CronFormatException ex)
            {
                throw new FunctionsHostStartupException($"{functionName}: schedule '{schedule}' is not a valid NCRONTAB expression: {ex.Message}", ex);
            }
        }

        if (parts.Length == 1 && TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(null, interval);
        }

        throw new FunctionsHostStartupException(
            $"{functionName}: schedule '{schedule}' must be NCRONTAB with six fields ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}) or a TimeSpan.");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC).</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        if (_interval is { } interval)
        {
            return after + interval;
        }

        return _cron!.GetNextOccurrence(after, TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue;
    }
}
