using System.Net.Http.Json;
using System.Text.Json;
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

    public async Task<int> SendThroughHandlerAsync(string queue, string body, string brokerProperties)
    {
        using var content = new StringContent(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/_test/send/{queue}") { Content = content };
        request.Headers.Add("BrokerProperties", brokerProperties);
        using var response = await _http.SendAsync(request);
        return (int)response.StatusCode;
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

/// <summary>Sends to the emulated Service Bus REST endpoint the way a client does.</summary>
internal static class Bus
{
    private static readonly HttpClient Http = new();

    public static string Token(FunctionsHost host, string resourcePath = "orders", DateTimeOffset? expiresAt = null, string? key = null, string keyName = FunctionsHost.SharedAccessKeyName) =>
        SasToken.Create(new Uri(host.ServiceBusUrl, resourcePath).ToString(), keyName, key ?? host.SharedAccessKey, expiresAt ?? DateTimeOffset.UtcNow.AddMinutes(5));

    public static async Task<HttpResponseMessage> SendAsync(
        FunctionsHost host,
        string queue,
        string body,
        string? brokerProperties = null,
        string? authorization = "default",
        IDictionary<string, string>? headers = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.ServiceBusUrl, $"{queue}/messages"))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, contentType),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization == "default" ? Token(host, queue) : authorization);
        }

        if (brokerProperties is not null)
        {
            request.Headers.TryAddWithoutValidation("BrokerProperties", brokerProperties);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http.SendAsync(request);
    }

    public static async Task SendOkAsync(FunctionsHost host, string queue, string body, string? brokerProperties = null)
    {
        using var response = await SendAsync(host, queue, body, brokerProperties);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }
}
