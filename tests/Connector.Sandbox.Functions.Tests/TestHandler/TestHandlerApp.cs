using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions.TestHandler;

/// <summary>What the handler received.</summary>
public sealed record RecordedRequest(
    long Sequence,
    string Method,
    string RawTarget,
    string Path,
    string Query,
    Dictionary<string, string> Headers,
    string BodyBase64,
    string Body,
    DateTimeOffset ReceivedAt,
    DateTimeOffset CompletedAt,
    int Status);

/// <summary>A scripted answer: status, body (null = default invocation result), delay.</summary>
public sealed record ScriptedResponse(int Status = 200, string? Body = null, int DelayMs = 0, string? ContentType = "application/json");

/// <summary>POST /_test/script: <c>Responses</c> are used once each, in order; then <c>Always</c> (if set), then the default result.</summary>
public sealed record Script(string Function, List<ScriptedResponse>? Responses = null, ScriptedResponse? Always = null);

/// <summary>
/// The fake handler: records every request; <c>POST /{Function}</c> answers a scripted response or a valid invocation
/// result; <c>/api/**</c> echoes what it got; <c>/_test/*</c> is its control plane.
/// </summary>
public static class TestHandlerApp
{
    public static WebApplication Build(string[] args, int? port = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var customHandlerPort = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT");
        if (port is not null)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else if (!args.Contains("--urls") && customHandlerPort is not null)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{customHandlerPort}");
        }

        builder.Services.AddSingleton(new HandlerState(args));
        var app = builder.Build();
        var state = app.Services.GetRequiredService<HandlerState>();

        app.MapGet("/_test/requests", () => Results.Json(state.Requests.OrderBy(r => r.Sequence)));
        app.MapPost("/_test/script", (Script script) =>
        {
            state.Scripts[script.Function] = new FunctionScript(new ConcurrentQueue<ScriptedResponse>(script.Responses ?? []), script.Always);
            return Results.NoContent();
        });
        app.MapGet("/_test/env", () => Results.Json(new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT"),
            ["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_WORKER_ID"),
            ["FUNCTIONS_APP_ROOT_PATH"] = Environment.GetEnvironmentVariable("FUNCTIONS_APP_ROOT_PATH"),
            ["FUNCTIONS_HTTPWORKER_PORT"] = Environment.GetEnvironmentVariable("FUNCTIONS_HTTPWORKER_PORT"),
            ["ServiceBusConnection"] = Environment.GetEnvironmentVariable("ServiceBusConnection"),
            ["MySetting"] = Environment.GetEnvironmentVariable("MySetting"),
            ["Args"] = string.Join(' ', state.Args),
            ["CurrentDirectory"] = Environment.CurrentDirectory,
        }));

        // The handler sends to Service Bus the way the real one does: the SDK with the ServiceBusConnection setting.
        app.MapPost("/_test/send/{queue}", async (string queue, string? messageId, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            try
            {
                await using var sender = state.Bus.Value.CreateSender(queue);
                await sender.SendMessageAsync(new ServiceBusMessage(body.ToArray()) { ContentType = "application/json", MessageId = messageId });
                return Results.StatusCode(201);
            }
            catch (Exception ex) when (ex is ServiceBusException or UnauthorizedAccessException)
            {
                return Results.Text(ex.ToString(), statusCode: 500);
            }
        });

        app.Map("/api/{**rest}", async (HttpContext context) =>
        {
            var received = DateTimeOffset.UtcNow;
            var body = await ReadBodyAsync(context.Request);
            context.Response.Headers["X-Handler-Echo"] = "yes";
            context.Response.Headers["X-Handler-Received-Length"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var status = context.Request.Query.TryGetValue("status", out var wanted) ? int.Parse(wanted!, System.Globalization.CultureInfo.InvariantCulture) : 200;
            state.Record(context, body, received, status);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"echo {context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
        });

        app.MapPost("/{function}", async (string function, HttpContext context) =>
        {
            var received = DateTimeOffset.UtcNow;
            var body = await ReadBodyAsync(context.Request);
            var response = state.Next(function);
            if (response.DelayMs > 0)
            {
                await Task.Delay(response.DelayMs, context.RequestAborted);
            }

            var text = response.Body ?? JsonSerializer.Serialize(new { Outputs = new { }, Logs = new[] { $"handled {function} #{Interlocked.Increment(ref state.Handled)}" }, ReturnValue = (string?)null });
            state.Record(context, body, received, response.Status);
            context.Response.StatusCode = response.Status;
            if (response.ContentType is not null && text.Length > 0)
            {
                context.Response.ContentType = response.ContentType;
            }

            await context.Response.WriteAsync(text);
        });

        return app;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private sealed record FunctionScript(ConcurrentQueue<ScriptedResponse> Responses, ScriptedResponse? Always);

    private sealed class HandlerState(string[] args) : IDisposable
    {
        private long _sequence;
        public long Handled;

        public string[] Args { get; } = args;

        public ConcurrentBag<RecordedRequest> Requests { get; } = [];

        public ConcurrentDictionary<string, FunctionScript> Scripts { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Lazy<ServiceBusClient> Bus { get; } = new(() => new ServiceBusClient(
            Environment.GetEnvironmentVariable("ServiceBusConnection"),
            new ServiceBusClientOptions { RetryOptions = new ServiceBusRetryOptions { MaxRetries = 2, Delay = TimeSpan.FromSeconds(0.4), MaxDelay = TimeSpan.FromSeconds(5), TryTimeout = TimeSpan.FromSeconds(10) } }));

        public ScriptedResponse Next(string function)
        {
            if (Scripts.TryGetValue(function, out var script))
            {
                if (script.Responses.TryDequeue(out var next))
                {
                    return next;
                }

                if (script.Always is not null)
                {
                    return script.Always;
                }
            }

            return new ScriptedResponse();
        }

        public void Record(HttpContext context, byte[] body, DateTimeOffset received, int status)
        {
            var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
            Requests.Add(new RecordedRequest(
                Interlocked.Increment(ref _sequence),
                context.Request.Method,
                rawTarget,
                context.Request.Path.ToString(),
                context.Request.QueryString.ToString(),
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                Convert.ToBase64String(body),
                Encoding.UTF8.GetString(body),
                received,
                DateTimeOffset.UtcNow,
                status));
        }

        public void Dispose()
        {
            if (Bus.IsValueCreated)
            {
                Bus.Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
