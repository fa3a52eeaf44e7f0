namespace Connector.Testing;

public static class TestWait
{
    /// <summary>
    /// Waits until a TikTok <c>update_time</c> (Unix seconds) lies in the past. The simulator bumps update_time by at least
    /// one second per change, so a change made "now" can carry next second's time, which a search ending now excludes.
    /// </summary>
    public static async Task UntilPastAsync(long unixSeconds)
    {
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() <= unixSeconds)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Polls a condition (for states the sandbox has no event for); fails after the timeout.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            await Task.Delay(50);
        }
    }
}
