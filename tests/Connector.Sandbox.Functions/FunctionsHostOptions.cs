namespace Connector.Sandbox.Functions;

/// <summary>Options of the local Azure Functions host emulation (<see cref="FunctionsHost"/>).</summary>
public sealed class FunctionsHostOptions
{
    /// <summary>The folder that holds <c>host.json</c>; also <c>FUNCTIONS_APP_ROOT_PATH</c> and the base of relative paths.</summary>
    public required string ScriptRoot { get; set; }

    /// <summary>
    /// Folders scanned for <c>&lt;FunctionName&gt;/function.json</c> (relative paths are resolved against <see cref="ScriptRoot"/>).
    /// Empty = <see cref="ScriptRoot"/> itself, which is the deployable package layout.
    /// </summary>
    public IList<string> FunctionDirectories { get; } = [];

    /// <summary>Attach to an already running handler instead of starting the process that host.json describes.</summary>
    public Uri? HandlerUrl { get; set; }

    /// <summary>Replaces host.json <c>defaultExecutablePath</c> (e.g. <c>dotnet</c> to run a built handler dll from the repository layout).</summary>
    public string? HandlerExecutablePath { get; set; }

    /// <summary>Replaces host.json <c>arguments</c> when set (still <c>%NAME%</c>-expanded, e.g. <c>["path/Connector.Handler.dll"]</c>).</summary>
    public IList<string>? HandlerArguments { get; set; }

    /// <summary>Replaces host.json <c>workingDirectory</c> (relative to <see cref="ScriptRoot"/> or absolute).</summary>
    public string? HandlerWorkingDirectory { get; set; }

    /// <summary>
    /// App settings: passed as environment variables to the handler process and used for <c>%Name%</c> expansion in
    /// function.json bindings and host.json <c>arguments</c>.
    /// </summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>Queues to create in addition to the ones named by serviceBusTrigger bindings (messages sent there stay queued).</summary>
    public IList<string> Queues { get; } = [];

    /// <summary>Public HTTP port for <c>/api/*</c>; 0 = any free port.</summary>
    public int Port { get; set; }

    /// <summary>Port of the Service Bus AMQP endpoint (plain AMQP 1.0 on 127.0.0.1, no TLS); 0 = any free port.</summary>
    public int ServiceBusPort { get; set; }

    /// <summary>
    /// The SAS key of <c>RootManageSharedAccessKey</c> on the Service Bus endpoint; null = a random one per host. Pin it (with
    /// <see cref="ServiceBusPort"/>) to match a fixed <c>ServiceBusConnection</c> such as the one in local.settings.sample.json.
    /// </summary>
    public string? ServiceBusSharedAccessKey { get; set; }

    /// <summary>Fire timer functions on their NCRONTAB schedule (6 fields, UTC). <see cref="FunctionsHost.TriggerTimerAsync"/> works either way.</summary>
    public bool EnableTimers { get; set; } = true;

    /// <summary>Deliveries of one message before it is dead-lettered with reason <c>MaxDeliveryCountExceeded</c> (Service Bus default 10).</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>A MessageId seen within this window is accepted and silently dropped (Service Bus default 10 minutes).</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Enforce <c>authLevel</c> function/admin on HTTP functions with the <c>x-functions-key</c> header or <c>?code=</c>.</summary>
    public bool RequireFunctionKeys { get; set; }

    /// <summary>The one key accepted for function- and admin-level HTTP functions and the admin API.</summary>
    public string FunctionKey { get; set; } = "local-function-key";

    /// <summary>Overrides host.json <c>functionTimeout</c> (the limit of one invocation); null = host.json or 30 minutes (Flex default).</summary>
    public TimeSpan? FunctionTimeout { get; set; }

    /// <summary>How long to wait for the handler to answer its first HTTP request (the host allows 60 s, §1.3).</summary>
    public TimeSpan HandlerStartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock for enqueue times, schedules, TTLs and timers. SAS token expiry is checked against the real clock, which the SDK stamps tokens with.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Receives host and handler output lines.</summary>
    public Action<string>? Log { get; set; }
}
