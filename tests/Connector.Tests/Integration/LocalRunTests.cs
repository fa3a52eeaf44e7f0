using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Connector.Sandbox;
using Xunit.Abstractions;

namespace Connector.Tests.Integration;

/// <summary>
/// <c>./build.sh run</c> (tests/Connector.Sandbox) as a person uses it: the console shows the addresses and no routine
/// log lines, the full log goes to a file, and SIGTERM stops it as cleanly as Ctrl+C, leaving no process listening.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class LocalRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_local_run_shows_the_addresses_logs_to_a_file_and_stops_cleanly_on_sigterm()
    {
        var app = AppFolder();
        var log = Path.Combine(Path.GetTempPath(), $"connector-run-{Guid.NewGuid():N}.log");
        var port = FreePort.Next();
        var sandbox = Path.Combine(RepositoryPaths.Root, "tests", "Connector.Sandbox", "bin", "Release", "net10.0", "Connector.Sandbox.dll");
        var start = new ProcessStartInfo("dotnet", [sandbox, "--app", app, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--log", log, "--no-demo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var console = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            lock (console)
            {
                console.AppendLine(e.Data);
            }

            if (e.Data?.Contains("Press Ctrl+C (or send SIGTERM)", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (console)
            {
                console.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(await ListensAsync(port), "the host emulation is not listening");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            output.WriteLine(console.ToString());
        }

        var text = console.ToString();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Stopping...", text, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{port}/api/app?shopId=", text, StringComparison.Ordinal);
        Assert.Contains(log, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", text, StringComparison.Ordinal);

        // Routine lines (the handler's start, each function's registration) are in the file, not on the console.
        var file = await File.ReadAllTextAsync(log);
        Assert.Contains("ProcessOrderMessage", file, StringComparison.Ordinal);
        Assert.DoesNotContain("ProcessOrderMessage", text, StringComparison.Ordinal);
        Assert.False(await ListensAsync(port), "the host emulation still listens after SIGTERM");
        Assert.False(await ListensAsync(port + 1), "the Service Bus emulation still listens after SIGTERM");
    }

    /// <summary>A function app folder as the package has it (design §6.3), with the handler from the build output.</summary>
    private static string AppFolder()
    {
        var app = Path.Combine(Path.GetTempPath(), $"connector-app-{Guid.NewGuid():N}");
        var build = Path.Combine(RepositoryPaths.Functions, "Connector.Handler", "bin", "Release", "net10.0");
        foreach (var file in Directory.GetFiles(build, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(app, Path.GetRelativePath(build, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.Copy(Path.Combine(RepositoryPaths.Root, "host.json"), Path.Combine(app, "host.json"));
        foreach (var folder in Directory.GetDirectories(RepositoryPaths.Functions).Where(d => File.Exists(Path.Combine(d, "function.json"))))
        {
            var target = Path.Combine(app, Path.GetFileName(folder));
            Directory.CreateDirectory(target);
            File.Copy(Path.Combine(folder, "function.json"), Path.Combine(target, "function.json"));
        }

        return app;
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
