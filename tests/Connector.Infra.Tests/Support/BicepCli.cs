using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Connector.Infra.Tests.Support;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (restored by this project's
/// PackageDownload), so build and lint run offline and in CI without the Azure CLI.
/// </summary>
public static partial class BicepCli
{
    public const string PackageId = "Azure.Bicep.CommandLine.linux-x64";
    public const string Version = "0.49.2";

    public static string ExecutablePath { get; } = Locate();

    /// <summary>Runs bicep with the repository root as working directory.</summary>
    public static BicepRun Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry and no update checks: the CLI must not reach out.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 3 minutes");
        }

        return new BicepRun(string.Join(' ', arguments), process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
        {
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var path = Path.Combine(packages, PackageId.ToLowerInvariant(), Version, "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Bicep CLI not found at {path}; restore tests/Connector.Infra.Tests (PackageDownload {PackageId} {Version}).");
        }

        if (!OperatingSystem.IsWindows())
        {
            // NuGet extracts files without their executable bit.
            File.SetUnixFileMode(path, File.GetUnixFileMode(path)
                | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }

    [GeneratedRegex(@"\)\s*:\s*(Error|Warning|Info)\s+[\w-]+\s*:", RegexOptions.CultureInvariant)]
    internal static partial Regex DiagnosticLine();
}

/// <summary>One bicep invocation: its exit code and every diagnostic line it printed.</summary>
public sealed record BicepRun(string Command, int ExitCode, string Stdout, string Stderr)
{
    public IReadOnlyList<string> Diagnostics =>
        (Stdout + "\n" + Stderr).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => BicepCli.DiagnosticLine().IsMatch(line))
            .ToList();

    public override string ToString() =>
        $"bicep {Command} exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
