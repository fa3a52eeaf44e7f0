using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>
/// Starts the custom handler the way the host does (§1.2, §1.3): <c>defaultExecutablePath</c> + <c>arguments</c> (with
/// <c>%NAME%</c> expansion, including <c>%FUNCTIONS_CUSTOMHANDLER_PORT%</c>) in <c>workingDirectory</c> (relative to the
/// script root); environment = this process's + app settings + <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> (a free port),
/// <c>FUNCTIONS_CUSTOMHANDLER_WORKER_ID</c>, <c>FUNCTIONS_APP_ROOT_PATH</c> and the legacy <c>FUNCTIONS_HTTPWORKER_*</c>.
/// Ready when <c>GET http://127.0.0.1:{port}/</c> gets any HTTP response ("Any Http response indicates a valid server Url").
/// </summary>
internal sealed class HandlerProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 200;

    // Handlers still running when this process exits without disposing its hosts (a test run killed mid-way) are killed too.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<HandlerProcess, byte> Running = new();

    static HandlerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var handler in Running.Keys)
        {
            try
            {
                handler._process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
    };

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly Queue<string> _recentOutput = new();
    private readonly Lock _gate = new();
    private int _disposed;

    private HandlerProcess(Process process, int port, ILogger logger)
    {
        _process = process;
        Port = port;
        _logger = logger;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string RecentOutput
    {
        get
        {
            lock (_gate)
            {
                return string.Join(Environment.NewLine, _recentOutput);
            }
        }
    }

    public static async Task<HandlerProcess> StartAsync(
        HostConfiguration host, string scriptRoot, IDictionary<string, string> settings, TimeSpan startupTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        // The port is picked ahead and released, as the host does, so another socket can take it before the handler binds it;
        // the host then restarts the worker, and so does this: a few attempts, each with a new port.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(host, scriptRoot, settings, startupTimeout, logger, cancellationToken);
            }
            catch (HandlerPortTakenException ex) when (attempt < 3)
            {
                Log.HandlerPortTaken(logger, ex.Port, attempt);
            }
            catch (HandlerPortTakenException ex)
            {
                throw new FunctionsHostStartupException($"The handler could not bind its port in {attempt} attempts. Its output:{Environment.NewLine}{ex.Output}", ex);
            }
        }
    }

    private static async Task<HandlerProcess> StartOnceAsync(
        HostConfiguration host, string scriptRoot, IDictionary<string, string> settings, TimeSpan startupTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(host.DefaultExecutablePath))
        {
            throw new FunctionsHostStartupException("host.json has no customHandler.description.defaultExecutablePath (and no FunctionsHostOptions.HandlerUrl was given).");
        }

        var port = Sandbox.FreePort.Next(); // the host binds port 0 and releases it (WorkerUtilities.GetUnusedTcpPort)
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString();
        environment["FUNCTIONS_APP_ROOT_PATH"] = scriptRoot;
        environment["FUNCTIONS_HTTPWORKER_PORT"] = environment["FUNCTIONS_CUSTOMHANDLER_PORT"];
        environment["FUNCTIONS_HTTPWORKER_ID"] = environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"];

        // Arguments expand %NAME% from the handler's environment (app settings, the FUNCTIONS_* values, then this process's).
        string? Lookup(string name) => environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

        var workingDirectory = string.IsNullOrWhiteSpace(host.WorkingDirectory)
            ? scriptRoot
            : Path.GetFullPath(Path.Combine(scriptRoot, SettingsExpander.Expand(host.WorkingDirectory, Lookup, "host.json workingDirectory")));
        if (!Directory.Exists(workingDirectory))
        {
            throw new FunctionsHostStartupException($"host.json workingDirectory '{workingDirectory}' does not exist.");
        }

        var executable = ResolveExecutable(SettingsExpander.Expand(host.DefaultExecutablePath, Lookup, "host.json defaultExecutablePath"), scriptRoot, workingDirectory);
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
        };
        foreach (var argument in host.Arguments)
        {
            startInfo.ArgumentList.Add(SettingsExpander.Expand(argument, Lookup, "host.json customHandler.description.arguments"));
        }

        if (!string.IsNullOrWhiteSpace(host.DefaultWorkerPath))
        {
            startInfo.ArgumentList.Add(SettingsExpander.Expand(host.DefaultWorkerPath, Lookup, "host.json defaultWorkerPath"));
        }

        foreach (var argument in host.WorkerArguments)
        {
            startInfo.ArgumentList.Add(SettingsExpander.Expand(argument, Lookup, "host.json workerArguments"));
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var commandLine = string.Join(' ', startInfo.ArgumentList);
        Log.StartingHandler(logger, executable, commandLine, workingDirectory, port);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var handler = new HandlerProcess(process, port, logger);
        process.OutputDataReceived += (_, e) => handler.OnOutput("stdout", e.Data);
        process.ErrorDataReceived += (_, e) => handler.OnOutput("stderr", e.Data);
        try
        {
            if (!process.Start())
            {
                throw new FunctionsHostStartupException($"The handler process '{executable}' did not start.");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new FunctionsHostStartupException($"The handler process '{executable}' could not be started: {ex.Message}", ex);
        }

        Running.TryAdd(handler, 0);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await handler.WaitUntilReadyAsync(startupTimeout, cancellationToken);
        }
        catch
        {
            await handler.DisposeAsync();
            throw;
        }

        process.Exited += (_, _) =>
        {
            if (Volatile.Read(ref handler._disposed) == 0)
            {
                Log.HandlerExited(logger, SafeExitCode(process));
            }
        };
        return handler;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken); // flushes the output readers
                if (RecentOutput.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new HandlerPortTakenException(Port, RecentOutput);
                }

                throw new FunctionsHostStartupException(
                    $"The handler process exited with code {SafeExitCode(_process)} before it answered on port {Port}. Its output:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using var response = await probe.GetAsync(Url, cancellationToken);
                Log.HandlerReady(_logger, Url, stopwatch.ElapsedMilliseconds);
                return; // any HTTP response, even 404, means the server is up (§1.3)
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (stopwatch.Elapsed > timeout)
            {
                await StopAndFlushAsync(); // so the error shows everything the handler printed
                throw new FunctionsHostStartupException(
                    $"The handler did not answer on http://127.0.0.1:{Port}/ within {timeout.TotalSeconds:0} s (the host allows 60 s, §1.3). Does it listen on FUNCTIONS_CUSTOMHANDLER_PORT? Its output:{Environment.NewLine}{RecentOutput}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task StopAndFlushAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            Log.StopStepFailed(_logger, "stopping the handler process", ex);
        }
    }

    private void OnOutput(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _recentOutput.Enqueue(line);
            while (_recentOutput.Count > OutputLinesKept)
            {
                _recentOutput.Dequeue();
            }
        }

        Log.HandlerOutput(_logger, stream, line);
    }

    /// <summary>Kills the whole process tree and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Running.TryRemove(this, out _);

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            Log.StopStepFailed(_logger, "stopping the handler process", ex);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string ResolveExecutable(string path, string scriptRoot, string workingDirectory)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : throw new FunctionsHostStartupException($"The handler executable '{path}' does not exist.");
        }

        foreach (var baseDirectory in new[] { scriptRoot, workingDirectory })
        {
            var candidate = Path.GetFullPath(Path.Combine(baseDirectory, path));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (path.Contains('/', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
        {
            throw new FunctionsHostStartupException($"The handler executable '{path}' was not found relative to the script root '{scriptRoot}'.");
        }

        // A bare name ("dotnet", "node") comes from PATH; for dotnet, the SDK's own host is a fallback.
        var names = OperatingSystem.IsWindows() && !Path.HasExtension(path) ? new[] { path + ".exe", path } : [path];
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        if (string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.OrdinalIgnoreCase)
            && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } dotnetHost && File.Exists(dotnetHost))
        {
            return dotnetHost;
        }

        throw new FunctionsHostStartupException($"The handler executable '{path}' was found neither under the script root '{scriptRoot}' nor on PATH.");
    }

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
