using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>Routes <see cref="ILogger"/> output to <see cref="FunctionsHostOptions.Log"/> as one line per entry.</summary>
internal sealed class ActionLoggerProvider(Action<string>? sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ActionLogger(sink, ShortName(categoryName));

    public void Dispose()
    {
    }

    private static string ShortName(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }

    private sealed class ActionLogger(Action<string>? sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => sink is not null && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (sink is null)
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Warning => "warn: ",
                LogLevel.Error or LogLevel.Critical => "fail: ",
                _ => string.Empty,
            };
            var line = $"[{category}] {level}{formatter(state, exception)}";
            if (exception is not null)
            {
                line += $" ({exception.GetType().Name}: {exception.Message})";
            }

            try
            {
                sink(line);
            }
            catch (InvalidOperationException)
            {
                // A test output helper throws once its test has finished; late lines are dropped.
            }
        }
    }
}

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Script root {ScriptRoot}: {Count} function(s): {Functions}")]
    public static partial void FunctionsLoaded(ILogger logger, string scriptRoot, int count, string functions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting handler: {FileName} {Arguments} (working directory {WorkingDirectory}, port {Port})")]
    public static partial void StartingHandler(ILogger logger, string fileName, string arguments, string workingDirectory, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handler ready at {Url} after {Elapsed} ms")]
    public static partial void HandlerReady(ILogger logger, Uri url, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler process exited with code {ExitCode}")]
    public static partial void HandlerExited(ILogger logger, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Port {Port} was taken before the handler bound it (attempt {Attempt}); starting it again on another port")]
    public static partial void HandlerPortTaken(ILogger logger, int port, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stream}: {Line}")]
    public static partial void HandlerOutput(ILogger logger, string stream, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening: HTTP {BaseUrl}, Service Bus (AMQP) {ServiceBusEndpoint}")]
    public static partial void Listening(ILogger logger, Uri baseUrl, Uri serviceBusEndpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executing '{FunctionName}' (invocation {InvocationId}{Detail})")]
    public static partial void Executing(ILogger logger, string functionName, string invocationId, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed '{FunctionName}' (Succeeded, invocation {InvocationId}, {Elapsed} ms)")]
    public static partial void Executed(ILogger logger, string functionName, string invocationId, long elapsed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed '{FunctionName}' (Failed, invocation {InvocationId}, {Elapsed} ms): {Error}")]
    public static partial void ExecutionFailed(ILogger logger, string functionName, string invocationId, long elapsed, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{FunctionName}: {Line}")]
    public static partial void FunctionLog(ILogger logger, string functionName, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} in '{Queue}' dead-lettered after {DeliveryCount} deliveries: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string messageId, string queue, int deliveryCount, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate MessageId {MessageId} sent to '{Queue}' dropped")]
    public static partial void DuplicateDropped(ILogger logger, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service Bus transfer to '{Queue}' rejected with {Condition}: {Reason}")]
    public static partial void TransferRejected(ILogger logger, string queue, string condition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service Bus link on '{Address}' refused with {Condition}: {Reason}")]
    public static partial void LinkRefused(ILogger logger, string address, string condition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service Bus $cbs token for '{Audience}' refused with {StatusCode}: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string audience, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault knob: {Count} message(s) stored on '{Queue}', connection closed before the outcome was sent")]
    public static partial void ConnectionDropped(ILogger logger, string queue, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service Bus broker: {Operation} failed")]
    public static partial void BrokerOperationFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} in '{Queue}' expired before delivery")]
    public static partial void Expired(ILogger logger, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} -> {FunctionName}: {StatusCode} ({Elapsed} ms)")]
    public static partial void HttpProxied(ILogger logger, string method, string path, string functionName, int statusCode, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: {StatusCode} {Reason}")]
    public static partial void HttpRejected(ILogger logger, string method, string path, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} -> {FunctionName} failed: {Error}")]
    public static partial void HttpFailed(ILogger logger, string method, string path, string functionName, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer '{FunctionName}' next occurrence {Next:O}")]
    public static partial void TimerScheduled(ILogger logger, string functionName, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer '{FunctionName}' loop failed")]
    public static partial void TimerLoopFailed(ILogger logger, string functionName, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery loop of '{FunctionName}' failed")]
    public static partial void DispatcherFailed(ILogger logger, string functionName, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping the emulated host: {Step} failed")]
    public static partial void StopStepFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host.json: {Warning}")]
    public static partial void HostJsonWarning(ILogger logger, string warning);
}
