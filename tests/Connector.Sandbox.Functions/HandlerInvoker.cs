using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>One invocation of the handler as the emulation saw it.</summary>
public sealed record InvocationRecord(
    string FunctionName,
    string InvocationId,
    string Trigger,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    bool Succeeded,
    int? StatusCode,
    string? Error);

/// <summary>The outcome of a JSON invocation: success means 2xx with a JSON invocation result (§1.6, §1.9).</summary>
internal sealed record InvocationOutcome(bool Succeeded, HttpStatusCode? StatusCode, string? ResponseBody, string? Error, JsonElement? Result);

/// <summary>Calls the handler: JSON invocations (<c>POST /{FunctionName}</c>) and proxied HTTP requests.</summary>
internal sealed class HandlerInvoker : IDisposable
{
    public const string HostVersion = "4.1044.0";
    public const string UserAgent = "Azure-Functions-Host/" + HostVersion;

    private readonly HttpClient _http;
    private readonly TimeSpan? _timeout;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly List<InvocationRecord> _records = [];
    private int _inFlight;

    public HandlerInvoker(Uri handlerUrl, TimeSpan? timeout, ILogger logger, TimeProvider timeProvider)
    {
        HandlerUrl = handlerUrl;
        _timeout = timeout;
        _logger = logger;
        _timeProvider = timeProvider;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri HandlerUrl { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public IReadOnlyList<InvocationRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public HttpRequestMessage CreateInvocationRequest(string functionName, string invocationId, string payloadJson)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(HandlerUrl, "/" + Uri.EscapeDataString(functionName)))
        {
            Content = new StringContent(payloadJson, Encoding.UTF8, "application/json"),
        };
        AddHostHeaders(request, invocationId);
        return request;
    }

    public static void AddHostHeaders(HttpRequestMessage request, string invocationId)
    {
        // §1.3: headers the host puts on every call.
        request.Headers.Remove("X-Azure-Functions-InvocationId");
        request.Headers.Remove("X-Azure-Functions-HostVersion");
        request.Headers.Remove("User-Agent");
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", invocationId);
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-HostVersion", HostVersion);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
    }

    /// <summary>Sends a request to the handler within the function timeout; the caller owns the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        try
        {
            return await _http.SendAsync(request, completion, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The handler did not answer within the function timeout ({_timeout}).");
        }
    }

    /// <summary>POSTs a JSON invocation and judges the answer like the host: non-2xx, empty, non-JSON or non-result bodies fail it.</summary>
    public async Task<InvocationOutcome> InvokeAsync(string functionName, string trigger, string payloadJson, string detail, CancellationToken cancellationToken)
    {
        var invocationId = Guid.NewGuid().ToString();
        var started = _timeProvider.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        Interlocked.Increment(ref _inFlight);
        Log.Executing(_logger, functionName, invocationId, detail);
        InvocationOutcome outcome;
        try
        {
            using var request = CreateInvocationRequest(functionName, invocationId, payloadJson);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_timeout is { } limit)
            {
                timeout.CancelAfter(limit);
            }

            try
            {
                // The timeout covers reading the body too.
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                outcome = Judge(functionName, response.StatusCode, body, response.Content.Headers.ContentType);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = new InvocationOutcome(false, null, null, $"Timeout: no answer within the function timeout ({_timeout}).", null);
            }
            catch (HttpRequestException ex)
            {
                outcome = new InvocationOutcome(false, null, null, $"The handler could not be reached: {ex.Message}", null);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        Record(new InvocationRecord(functionName, invocationId, trigger, started, stopwatch.Elapsed, outcome.Succeeded, (int?)outcome.StatusCode, outcome.Error));
        if (outcome.Succeeded)
        {
            Log.Executed(_logger, functionName, invocationId, stopwatch.ElapsedMilliseconds);
        }
        else
        {
            Log.ExecutionFailed(_logger, functionName, invocationId, stopwatch.ElapsedMilliseconds, outcome.Error!);
        }

        return outcome;
    }

    public void Record(InvocationRecord record)
    {
        lock (_gate)
        {
            _records.Add(record);
        }
    }

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    private InvocationOutcome Judge(string functionName, HttpStatusCode status, string body, MediaTypeHeaderValue? contentType)
    {
        var code = (int)status;
        if (code is < 200 or > 299)
        {
            // §1.9: EnsureSuccessStatusCode() fails the invocation.
            return new InvocationOutcome(false, status, body, $"The handler answered {code} {status}{Excerpt(body)}.", null);
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            // The host reads an empty body as a null result and the invocation never completes (design §2); here it fails at once.
            return new InvocationOutcome(false, status, body, $"The handler answered {code} with an empty body; a JSON result {{\"Outputs\":{{}},\"Logs\":[],\"ReturnValue\":null}} is required (§1.6).", null);
        }

        JsonElement result;
        try
        {
            using var document = JsonDocument.Parse(body);
            result = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            // §1.9: invalid JSON fails the invocation ("Invalid HttpResponseMessage").
            return new InvocationOutcome(false, status, body, $"The handler answered {code} with a body that is not JSON ({ex.Message}; content type {contentType}){Excerpt(body)}.", null);
        }

        if (result.ValueKind != JsonValueKind.Object
            || (Json.Property(result, "Outputs") is null && Json.Property(result, "Logs") is null && Json.Property(result, "ReturnValue") is null))
        {
            return new InvocationOutcome(false, status, body, $"The handler answered {code} with JSON that is not an invocation result (an object with Outputs, Logs and/or ReturnValue, §1.6){Excerpt(body)}.", null);
        }

        if (Json.Property(result, "Logs") is { } logs)
        {
            if (logs.ValueKind == JsonValueKind.Array)
            {
                foreach (var line in logs.EnumerateArray())
                {
                    Log.FunctionLog(_logger, functionName, line.ValueKind == JsonValueKind.String ? line.GetString()! : line.GetRawText());
                }
            }
            else if (logs.ValueKind != JsonValueKind.Null)
            {
                return new InvocationOutcome(false, status, body, $"The invocation result's Logs must be an array of strings (got {logs.ValueKind}).", null);
            }
        }

        if (Json.Property(result, "Outputs") is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) } outputs)
        {
            return new InvocationOutcome(false, status, body, $"The invocation result's Outputs must be an object (got {outputs.ValueKind}).", null);
        }

        return new InvocationOutcome(true, status, body, null, result);
    }

    private static string Excerpt(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return string.Empty;
        }

        var text = body.Length > 300 ? body[..300] + "..." : body;
        return string.Create(CultureInfo.InvariantCulture, $": {text}");
    }

    public void Dispose() => _http.Dispose();
}
