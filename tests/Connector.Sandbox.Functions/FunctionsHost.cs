using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>
/// A local emulation of the Azure Functions host for a custom handler (reference §1): reads host.json and the
/// function.json folders, starts the handler process (or attaches to a running one), proxies <c>/{routePrefix}/*</c> to it,
/// fires timers, and emulates Service Bus queues: an AMQP 1.0 broker for the SDK's sending side (azure-service-bus-amqp.md §3, §4)
/// and peek-lock delivery to serviceBusTrigger functions with the host's payload shape.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    public const string SharedAccessKeyName = "RootManageSharedAccessKey";

    private readonly FunctionsHostOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<string, EmulatedQueue> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TimerState> _timers = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _background = [];
    private readonly string _sharedAccessKey;
    private WebApplication? _publicApp;
    private AmqpBroker? _broker;
    private HandlerProcess? _process;
    private HandlerInvoker? _invoker;
    private int _timersRunning;
    private int _disposed;

    private FunctionsHost(FunctionsHostOptions options)
    {
        _options = options;
        _sharedAccessKey = string.IsNullOrEmpty(options.ServiceBusSharedAccessKey)
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            : options.ServiceBusSharedAccessKey;
        _loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(new ActionLoggerProvider(options.Log)));
        _logger = _loggerFactory.CreateLogger("FunctionsHost");
    }

    /// <summary>Public address: <c>new Uri(BaseUrl, "api/...")</c> reaches the HTTP functions.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The Service Bus namespace endpoint, plain AMQP (<c>sb://127.0.0.1:{port}/</c>).</summary>
    public Uri ServiceBusEndpoint { get; private set; } = null!;

    /// <summary><c>Endpoint=sb://127.0.0.1:PORT/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=...;UseDevelopmentEmulator=true</c>.</summary>
    public string ServiceBusConnectionString { get; private set; } = null!;

    /// <summary>The SAS key of <see cref="SharedAccessKeyName"/> (random per host).</summary>
    public string SharedAccessKey => _sharedAccessKey;

    /// <summary>Where the handler listens (the started process's <c>http://127.0.0.1:{FUNCTIONS_CUSTOMHANDLER_PORT}</c>, or <see cref="FunctionsHostOptions.HandlerUrl"/>).</summary>
    public Uri HandlerUrl { get; private set; } = null!;

    /// <summary>The started handler's process id; null when attached to <see cref="FunctionsHostOptions.HandlerUrl"/>.</summary>
    public int? HandlerProcessId => _process?.ProcessId;

    public HostConfiguration HostConfiguration { get; private set; } = null!;

    public IReadOnlyList<FunctionDefinition> Functions { get; private set; } = [];

    /// <summary>Every queue: those named by serviceBusTrigger bindings plus <see cref="FunctionsHostOptions.Queues"/>.</summary>
    public IReadOnlyCollection<EmulatedQueue> Queues => _queues.Values;

    /// <summary>Every invocation so far (timer, Service Bus, HTTP), in completion order.</summary>
    public IReadOnlyList<InvocationRecord> Invocations => _invoker?.Records ?? [];

    public static async Task<FunctionsHost> StartAsync(FunctionsHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new FunctionsHost(options);
        try
        {
            await host.StartCoreAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.ScriptRoot))
        {
            throw new FunctionsHostStartupException("FunctionsHostOptions.ScriptRoot is required.");
        }

        if (_options.MaxDeliveryCount < 1)
        {
            throw new FunctionsHostStartupException("FunctionsHostOptions.MaxDeliveryCount must be at least 1.");
        }

        var scriptRoot = Path.GetFullPath(_options.ScriptRoot);
        var config = HostConfiguration.Load(Path.Combine(scriptRoot, "host.json"));
        if (config.Version != "2.0")
        {
            Log.HostJsonWarning(_logger, $"\"version\" is '{config.Version}'; the Functions host requires \"2.0\".");
        }

        HostConfiguration = config;
        Functions = FunctionLoader.Load(scriptRoot, _options.FunctionDirectories, _options.Settings, config.EnableProxyingHttpRequest);
        var functionList = string.Join(", ", Functions.Select(f => $"{f.Name} ({f.TriggerType})"));
        Log.FunctionsLoaded(_logger, scriptRoot, Functions.Count, functionList);
        CreateQueues();

        // Service Bus broker first, so that the handler can send as soon as it starts.
        try
        {
            _broker = AmqpBroker.Start(_options.ServiceBusPort, FindQueue, new CbsTokenValidator(SharedAccessKeyName, _sharedAccessKey), _logger);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new FunctionsHostStartupException($"The Service Bus AMQP endpoint could not listen on 127.0.0.1:{_options.ServiceBusPort}: {ex.Message}", ex);
        }

        ServiceBusEndpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"sb://127.0.0.1:{_broker.Port}/"));
        ServiceBusConnectionString = string.Create(
            CultureInfo.InvariantCulture,
            $"Endpoint={ServiceBusEndpoint};SharedAccessKeyName={SharedAccessKeyName};SharedAccessKey={_sharedAccessKey};UseDevelopmentEmulator=true");

        // The public app is built (routes validated) before the handler starts.
        var publicBuilder = LoopbackApp.CreateBuilder(_options.Port);
        publicBuilder.Logging.AddProvider(new ActionLoggerProvider(_options.Log));
        publicBuilder.Services.AddRouting();
        publicBuilder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 100 * 1024 * 1024; // the HTTP trigger's limit
        });
        _publicApp = publicBuilder.Build();
        var router = new HttpFunctionRouter(Functions, config.RoutePrefix, _publicApp.Services.GetRequiredService<IInlineConstraintResolver>());

        if (_options.HandlerUrl is { } attachTo)
        {
            HandlerUrl = attachTo;
            await WaitForAttachedHandlerAsync(attachTo, cancellationToken);
        }
        else
        {
            var settings = new Dictionary<string, string>(_options.Settings, StringComparer.Ordinal);
            settings.TryAdd("ServiceBusConnection", ServiceBusConnectionString);
            var launch = config with
            {
                DefaultExecutablePath = _options.HandlerExecutablePath ?? config.DefaultExecutablePath,
                Arguments = _options.HandlerArguments is { } arguments ? [.. arguments] : config.Arguments,
                WorkingDirectory = _options.HandlerWorkingDirectory ?? config.WorkingDirectory,
            };
            _process = await HandlerProcess.StartAsync(launch, scriptRoot, settings, _options.HandlerStartupTimeout, _logger, cancellationToken);
            HandlerUrl = _process.Url;
        }

        _invoker = new HandlerInvoker(HandlerUrl, _options.FunctionTimeout ?? config.FunctionTimeout, _logger, _options.TimeProvider);
        var server = new PublicHttpServer(router, Functions, _invoker, _options, TriggerTimerAsync, f => f.QueueName is { } q ? FindQueue(q) : null, _logger);
        _publicApp.Run(server.HandleAsync);
        BaseUrl = await LoopbackApp.StartAsync(_publicApp, cancellationToken);
        Log.Listening(_logger, BaseUrl, ServiceBusEndpoint);

        foreach (var function in Functions.Where(f => !f.IsDisabled))
        {
            if (function.IsServiceBus)
            {
                var queue = _queues[function.QueueName!];
                var concurrency = function.IsSessionsEnabled ? config.MaxConcurrentSessions : config.MaxConcurrentCalls;
                var dispatcher = new ServiceBusDispatcher(function, queue, Math.Max(1, concurrency), _invoker, "127.0.0.1", _options.TimeProvider, _logger);
                _background.Add(Task.Run(() => dispatcher.RunAsync(_stopping.Token), CancellationToken.None));
            }
            else if (function.IsTimer)
            {
                _timers[function.Name] = new TimerState(function, TimerSchedule.Parse(function.Schedule!, function.Name));
                if (_options.EnableTimers)
                {
                    _background.Add(Task.Run(() => RunTimerAsync(_timers[function.Name], _stopping.Token), CancellationToken.None));
                }
            }
        }
    }

    private void CreateQueues()
    {
        foreach (var function in Functions.Where(f => f.IsServiceBus))
        {
            var queue = GetOrCreateQueue(function.QueueName!);
            if (function.IsSessionsEnabled)
            {
                queue.EnableSessions();
            }
        }

        foreach (var name in _options.Queues)
        {
            GetOrCreateQueue(name);
        }
    }

    private EmulatedQueue GetOrCreateQueue(string name)
    {
        if (!_queues.TryGetValue(name, out var queue))
        {
            queue = new EmulatedQueue(name, requiresSession: false, _options.MaxDeliveryCount, _options.DuplicateDetectionWindow, _options.TimeProvider, _logger);
            _queues[name] = queue;
        }

        return queue;
    }

    private EmulatedQueue? FindQueue(string name) => _queues.GetValueOrDefault(name);

    /// <summary>The queue named <paramref name="name"/> (case-insensitive, like Service Bus entity names).</summary>
    public EmulatedQueue GetQueue(string name) =>
        FindQueue(name) ?? throw new ArgumentException(
            $"No queue '{name}'. Queues: {string.Join(", ", _queues.Keys)} (from serviceBusTrigger bindings and FunctionsHostOptions.Queues).", nameof(name));

    /// <summary>Fires a timer function now; returns after the handler answered; throws <see cref="FunctionInvocationException"/> if the invocation failed.</summary>
    public async Task TriggerTimerAsync(string functionName, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_timers.TryGetValue(functionName, out var state))
        {
            throw new ArgumentException($"'{functionName}' is not a timer function. Timers: {string.Join(", ", _timers.Keys)}.", nameof(functionName));
        }

        await FireTimerAsync(state, _options.TimeProvider.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Waits until every queue is empty (nothing active, scheduled or in flight) and no invocation is running, and it stays so
    /// for about 100 ms; <see cref="TimeoutException"/> otherwise. Both durations are wall-clock time.
    /// </summary>
    public async Task WaitForIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        Stopwatch? idleFor = null;
        while (true)
        {
            var idle = _queues.Values.All(q => q.IsEmpty) && (_invoker?.InFlight ?? 0) == 0 && Volatile.Read(ref _timersRunning) == 0;
            if (idle)
            {
                idleFor ??= Stopwatch.StartNew();
                if (idleFor.ElapsedMilliseconds >= 100)
                {
                    return;
                }
            }
            else
            {
                idleFor = null;
            }

            if (total.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"The emulated host was not idle within {timeout.TotalSeconds:0.###} s: {string.Join("; ", _queues.Values)}; {_invoker?.InFlight ?? 0} invocation(s) in flight.");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>POSTs an arbitrary payload to <c>/{functionName}</c> with the host's headers (for malformed-payload tests); the caller owns the response.</summary>
    public async Task<HttpResponseMessage> InvokeRawAsync(string functionName, string payloadJson, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0 || _invoker is null, this);
        using var request = _invoker.CreateInvocationRequest(functionName, Guid.NewGuid().ToString(), payloadJson);
        return await _invoker.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>
    /// Fault knob (azure-service-bus-amqp.md §3.9): the next send accepted on <paramref name="queue"/> is stored, then its AMQP
    /// connection is closed before the outcome reaches the sender, as when an acknowledgement is lost. The SDK reconnects and
    /// resends; duplicate detection (by MessageId) drops the copy. Each call arms one drop.
    /// </summary>
    public void DropConnectionAfterNextAccept(string queue)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0 || _broker is null, this);
        _broker.DropConnectionAfterNextAccept(GetQueue(queue).Name);
    }

    private async Task RunTimerAsync(TimerState state, CancellationToken stopping)
    {
        var timeProvider = _options.TimeProvider;
        try
        {
            if (state.Function.RunOnStartup)
            {
                await FireQuietlyAsync(state, timeProvider.GetUtcNow(), stopping);
            }

            while (!stopping.IsCancellationRequested)
            {
                var next = state.Schedule.Next(timeProvider.GetUtcNow());
                Log.TimerScheduled(_logger, state.Function.Name, next);
                TimeSpan remaining;
                while ((remaining = next - timeProvider.GetUtcNow()) > TimeSpan.Zero)
                {
                    // Short steps re-read the clock, so a clock moved while this loop was between reading it and waiting
                    // (a test's FakeTimeProvider) delays the firing by at most a step.
                    await Task.Delay(remaining > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining, timeProvider, stopping);
                }

                await FireQuietlyAsync(state, next, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.TimerLoopFailed(_logger, state.Function.Name, ex);
            throw;
        }
    }

    private async Task FireQuietlyAsync(TimerState state, DateTimeOffset scheduled, CancellationToken stopping)
    {
        try
        {
            await FireTimerAsync(state, scheduled, stopping);
        }
        catch (FunctionInvocationException)
        {
            // Logged by the invoker; the timer keeps its schedule (no retry policy is emulated).
        }
    }

    private async Task FireTimerAsync(TimerState state, DateTimeOffset scheduled, CancellationToken cancellationToken)
    {
        // A timer function runs as a singleton: one invocation at a time.
        await state.Gate.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _timersRunning);
        try
        {
            var now = _options.TimeProvider.GetUtcNow();
            var next = state.Schedule.Next(now > scheduled ? now : scheduled);
            var payload = InvocationPayloads.Timer(state.Function, state.Last, next, state.LastUpdated, isPastDue: now - scheduled > TimeSpan.FromMinutes(1), now);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            var outcome = await _invoker!.InvokeAsync(state.Function.Name, "timer", payload, string.Empty, linked.Token);
            state.Last = scheduled;
            state.LastUpdated = now;
            if (!outcome.Succeeded)
            {
                throw new FunctionInvocationException(state.Function.Name, $"Timer function '{state.Function.Name}' failed: {outcome.Error}", outcome.StatusCode, outcome.ResponseBody);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _timersRunning);
            state.Gate.Release();
        }
    }

    private async Task WaitForAttachedHandlerAsync(Uri url, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await probe.GetAsync(url, cancellationToken);
                Log.HandlerReady(_logger, url, stopwatch.ElapsedMilliseconds);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (stopwatch.Elapsed > _options.HandlerStartupTimeout)
                {
                    throw new FunctionsHostStartupException($"The handler at {url} (FunctionsHostOptions.HandlerUrl) did not answer within {_options.HandlerStartupTimeout.TotalSeconds:0} s: {ex.Message}", ex);
                }
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Stops delivery and timers, the HTTP listener, the handler process (its whole tree), and the Service Bus broker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_background).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or HttpRequestException or InvalidOperationException)
        {
            Log.StopStepFailed(_logger, "stopping delivery and timers", ex);
        }

        if (_publicApp is not null)
        {
            try
            {
                using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _publicApp.StopAsync(stopTimeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
            {
                Log.StopStepFailed(_logger, "stopping a listener", ex);
            }

            await _publicApp.DisposeAsync();
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        // After the handler: it may still be sending while it shuts down.
        _broker?.Dispose();

        _invoker?.Dispose();
        _stopping.Dispose();
        _loggerFactory.Dispose();
    }

    private sealed class TimerState(FunctionDefinition function, TimerSchedule schedule)
    {
        public FunctionDefinition Function { get; } = function;

        public TimerSchedule Schedule { get; } = schedule;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTimeOffset Last { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LastUpdated { get; set; } = DateTimeOffset.MinValue;
    }
}
