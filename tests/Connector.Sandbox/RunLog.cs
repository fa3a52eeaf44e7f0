namespace Connector.Sandbox.Run;

/// <summary>Which log lines of a local run a person watching the console needs: warnings, errors and crashes.</summary>
public static class RunLog
{
    public static bool IsForPeople(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Contains("warn: ", StringComparison.Ordinal) || line.Contains("fail: ", StringComparison.Ordinal)
            || line.Contains("crit: ", StringComparison.Ordinal) || line.Contains("Unhandled exception", StringComparison.Ordinal);
    }
}
