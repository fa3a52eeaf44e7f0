using System.Net.Http.Json;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Connector.Sandbox.Functions.TestHandler;
using Xunit.Abstractions;

namespace Connector.Sandbox.Functions.Tests;

/// <summary>A temporary script root: host.json that starts TestHandler.dll with dotnet, and function folders.</summary>
internal sealed class ScriptRoot : IDisposable
{
    private ScriptRoot(string path) => Path = path;

    public string Path { get; }

    /// <summary>Where the build put TestHandler.dll, as a path relative to the script root (workingDirectory is resolved against it).</summary>
    public string HandlerDirectoryRelative => System.IO.Path.GetRelativePath(Path, AppContext.BaseDirectory);

    public static ScriptRoot Create(string? hostJson = null, bool standardFunctions = true)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fnhost-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var root = new ScriptRoot(path);
        root.WriteHostJson(hostJson ?? root.DefaultHostJson());
        if (standardFunctions)
        {
            root.AddStandardFunctions();
        }

        return root;
    }

    public string DefaultHostJson(string extraArguments = "", bool proxying = true, int maxConcurrentCalls = 4) => $$"""
        {
          "version": "2.0",
          "customHandler": {
            "description": {
              "defaultExecutablePath": "dotnet",
              "arguments": [ "TestHandler.dll", "--urls", "http://127.0.0.1:%FUNCTIONS_CUSTOMHANDLER_PORT%"{{extraArguments}} ],
              "workingDirectory": "{{HandlerDirectoryRelative}}"
            },
            "enableProxyingHttpRequest": {{(proxying ? "true" : "false")}}
          },
          "extensionBundle": { "id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)" },
          "functionTimeout": "00:00:20",
          "extensions": { "http": { "routePrefix": "api" }, "serviceBus": { "maxConcurrentCalls": {{maxConcurrentCalls}} } }
        }
        """;

    public void WriteHostJson(string json) => File.WriteAllText(System.IO.Path.Combine(Path, "host.json"), json);

    public ScriptRoot AddFunction(string name, string functionJson)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(System.IO.Path.Combine(folder, "function.json"), functionJson);
        return this;
    }

    public void AddStandardFunctions()
    {
        AddFunction("ProcessOrderMessage", """
            { "bindings": [ { "name": "msg", "type": "serviceBusTrigger", "direction": "in", "queueName": "%OrdersQueueName%", "connection": "ServiceBusConnection" } ] }
            """);
        AddFunction("FetchOrdersTimer", """
            { "bindings": [ { "name": "timer", "type": "timerTrigger", "direction": "in", "schedule": "%FetchSchedule%" } ] }
            """);
        AddFunction("TikTokWebhook", Http("anonymous", "post", "webhooks/tiktok"));
        AddFunction("GetOrder", Http("function", "get", "orders/{orderId}"));
        AddFunction("OrderSummary", Http("anonymous", "get", "orders/summary"));
        AddFunction("App", Http("anonymous", "get", "app/{*path}"));
    }

    public static string Http(string authLevel, string method, string route) => $$"""
        { "bindings": [
          { "name": "req", "type": "httpTrigger", "direction": "in", "authLevel": "{{authLevel}}", "methods": [ "{{method}}" ], "route": "{{route}}" },
          { "name": "res", "type": "http", "direction": "out" } ] }
        """;

    public FunctionsHostOptions Options(ITestOutputHelper? output = null)
    {
        var options = new FunctionsHostOptions { ScriptRoot = Path, Log = output is null ? null : output.WriteLine };
        options.Settings["OrdersQueueName"] = "orders";
        options.Settings["FetchSchedule"] = "0 0 0 1 1 *"; // once a year: never during a test
        options.Settings["MySetting"] = "hello from settings";
        return options;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Talks to the TestHandler's control plane (/_test/*) on the handler port.</summary>
internal sealed class HandlerControl(Uri handlerUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = handlerUrl };

    public async Task<IReadOnlyList<RecordedRequest>> RequestsAsync() =>
        (await _http.GetFromJsonAsync<List<RecordedRequest>>("/_test/requests"))!;

    public async Task<IReadOnlyList<RecordedRequest>> InvocationsOfAsync(string function) =>
        [.. (await RequestsAsync()).Where(r => r.Method == "POST" && r.Path == "/" + function)];

    public async Task<Dictionary<string, string?>> EnvironmentAsync() =>
        (await _http.GetFromJsonAsync<Dictionary<string, string?>>("/_test/env"))!;

    public async Task ScriptAsync(Script script)
    {
        using var response = await _http.PostAsJsonAsync("/_test/script", script);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Makes the handler send one message with the SDK and its ServiceBusConnection setting; returns its status and error text.</summary>
    public async Task<(int Status, string Error)> SendThroughHandlerAsync(string queue, string body, string messageId)
    {
        using var content = new StringContent(body);
        using var response = await _http.PostAsync($"/_test/send/{queue}?messageId={Uri.EscapeDataString(messageId)}", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}

internal static class Payload
{
    /// <summary>Unwraps a JSON-encoded string once (the host's double encoding).</summary>
    public static string Unwrap(JsonElement element) => JsonSerializer.Deserialize<string>(element.GetString()!)!;
}

/// <summary>Collects host and handler lines and mirrors them to the test output.</summary>
internal sealed class LogSink(ITestOutputHelper output)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Write(string line)
    {
        _lines.Enqueue(line);
        output.WriteLine(line);
    }
}

/// <summary>
/// Sends to the emulated Service Bus with the official SDK, as the handler does, with the retry options the reference recommends
/// inside a function invocation (azure-service-bus-amqp.md §2), so that failures surface within seconds.
/// </summary>
internal static class Bus
{
    public static ServiceBusClientOptions Options() => new()
    {
        RetryOptions = new ServiceBusRetryOptions
        {
            MaxRetries = 2,
            Delay = TimeSpan.FromSeconds(0.4),
            MaxDelay = TimeSpan.FromSeconds(5),
            TryTimeout = TimeSpan.FromSeconds(10),
        },
    };

    public static ServiceBusClient Client(FunctionsHost host) => new(host.ServiceBusConnectionString, Options());

    /// <summary>A JSON message, with a MessageId when given (the SDK refuses a null one).</summary>
    public static ServiceBusMessage Json(string body, string? messageId = null)
    {
        var message = new ServiceBusMessage(body) { ContentType = "application/json" };
        if (messageId is not null)
        {
            message.MessageId = messageId;
        }

        return message;
    }

    /// <summary>Sends one message on a client of its own (a new connection).</summary>
    public static async Task SendAsync(FunctionsHost host, string queue, ServiceBusMessage message)
    {
        await using var client = Client(host);
        await using var sender = client.CreateSender(queue);
        await sender.SendMessageAsync(message);
    }

    public static Task SendAsync(FunctionsHost host, string queue, string body, string? messageId = null) =>
        SendAsync(host, queue, Json(body, messageId));
}
