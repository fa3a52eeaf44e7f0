using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Connector.Sandbox.Functions;

/// <summary>
/// The public HTTP listener: <c>/{routePrefix}/{route}</c> for HTTP functions, proxied to the handler with the original path,
/// query, headers and raw body (§1.7) or, for HTTP functions with other bindings, sent in the JSON payload form (§1.5);
/// plus a small admin API (<c>POST /admin/functions/{name}</c> to run a non-HTTP function, <c>GET /admin/functions</c>,
/// <c>GET /admin/host/status</c>).
/// </summary>
internal sealed class PublicHttpServer(
    HttpFunctionRouter router,
    IReadOnlyList<FunctionDefinition> functions,
    HandlerInvoker invoker,
    FunctionsHostOptions options,
    Func<string, CancellationToken, Task> triggerTimer,
    Func<FunctionDefinition, EmulatedQueue?> queueOf,
    ILogger logger)
{
    // Connection-specific headers (RFC 9110 §7.6.1) are not forwarded; Host is set for the handler's address.
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Expect",
    };

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase))
        {
            await AdminAsync(context, path);
            return;
        }

        if (router.Match(context) is not { } match)
        {
            if (path == "/" && HttpMethods.IsGet(context.Request.Method))
            {
                await context.Response.WriteAsync("Azure Functions host emulation (Connector sandbox) is running.", context.RequestAborted);
                return;
            }

            Log.HttpRejected(logger, context.Request.Method, path, StatusCodes.Status404NotFound, "no HTTP function matches (method and route)");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var function = match.Function;
        if (function.AuthLevel is "function" or "admin" && !HasValidKey(context))
        {
            Log.HttpRejected(logger, context.Request.Method, path, StatusCodes.Status401Unauthorized, $"{function.Name} has authLevel '{function.AuthLevel}' and no valid key was given (x-functions-key header or ?code=)");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (function.IsProxied)
        {
            await ProxyAsync(context, function);
        }
        else
        {
            await InvokeJsonAsync(context, function, match.Values);
        }
    }

    private bool HasValidKey(HttpContext context)
    {
        if (!options.RequireFunctionKeys)
        {
            return true;
        }

        var key = context.Request.Headers["x-functions-key"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            key = context.Request.Query["code"].ToString();
        }

        return string.Equals(key, options.FunctionKey, StringComparison.Ordinal);
    }

    private async Task ProxyAsync(HttpContext context, FunctionDefinition function)
    {
        var invocationId = Guid.NewGuid().ToString();
        var started = options.TimeProvider.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path + context.Request.QueryString).ToString();
        var target = new Uri(invoker.HandlerUrl, rawTarget.StartsWith('/') ? rawTarget : (context.Request.Path + context.Request.QueryString).ToString());
        invoker.Enter();
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
            var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0;
            if (canHaveBody)
            {
                request.Content = new StreamContent(context.Request.Body);
            }
            else if (context.Request.ContentLength == 0)
            {
                request.Content = new ByteArrayContent([]);
            }

            foreach (var (name, values) in context.Request.Headers)
            {
                if (HopByHopHeaders.Contains(name))
                {
                    continue;
                }

                if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                {
                    request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            // What a YARP-based forwarder adds by default.
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
            request.Headers.TryAddWithoutValidation("X-Forwarded-Host", context.Request.Host.Value);
            request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", context.Request.Scheme);
            HandlerInvoker.AddHostHeaders(request, invocationId);

            using var response = await invoker.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            status = (int)response.StatusCode;
            context.Response.StatusCode = status.Value;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHopHeaders.Contains(name) && !string.Equals(name, "Date", StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(name, "Server", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[name] = new StringValues([.. values]);
                }
            }

            await context.Response.StartAsync(context.RequestAborted);
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            Log.HttpProxied(logger, context.Request.Method, context.Request.Path.Value ?? "/", function.Name, status.Value, stopwatch.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            error = ex.Message;
            Log.HttpFailed(logger, context.Request.Method, context.Request.Path.Value ?? "/", function.Name, ex.Message);
            if (!context.Response.HasStarted)
            {
                // The host answers 500 when the invocation fails.
                status = StatusCodes.Status500InternalServerError;
                context.Response.StatusCode = status.Value;
            }
        }
        finally
        {
            invoker.Leave();
            invoker.Record(new InvocationRecord(function.Name, invocationId, "http", started, stopwatch.Elapsed, error is null && status < 500, status, error));
        }
    }

    private async Task InvokeJsonAsync(HttpContext context, FunctionDefinition function, Microsoft.AspNetCore.Routing.RouteValueDictionary values)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        string? body = null;
        if (buffer.Length > 0)
        {
            var contentType = context.Request.ContentType ?? string.Empty;
            body = contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
                ? Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length)
                : Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        var request = context.Request;
        var url = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        var payload = InvocationPayloads.Http(
            function,
            url,
            request.Method,
            request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.Select(v => v ?? string.Empty).ToArray())),
            request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.Select(v => v ?? string.Empty).ToArray())),
            values.ToDictionary(v => v.Key, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture)),
            body,
            options.TimeProvider.GetUtcNow());
        var outcome = await invoker.InvokeAsync(function.Name, "http", payload, $", {request.Method} {request.Path}", context.RequestAborted);
        if (!outcome.Succeeded)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        // §1.6: the http output is Outputs.{name} (or ReturnValue for "$return"): {statusCode, body, headers}.
        var result = outcome.Result!.Value;
        var name = function.HttpOutputBindingName;
        JsonElement? http = name == "$return" ? Json.Property(result, "ReturnValue") : Json.Property(Json.Property(result, "Outputs"), name ?? "res");
        if (http is not { ValueKind: JsonValueKind.Object } responseObject)
        {
            context.Response.StatusCode = http is { ValueKind: JsonValueKind.String } ? StatusCodes.Status200OK : StatusCodes.Status204NoContent;
            if (http is { ValueKind: JsonValueKind.String } text)
            {
                await context.Response.WriteAsync(text.GetString()!, context.RequestAborted);
            }

            return;
        }

        var statusText = Json.String(responseObject, "statusCode") ?? Json.String(responseObject, "status");
        context.Response.StatusCode = int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : StatusCodes.Status200OK;
        if (Json.Property(responseObject, "headers") is { ValueKind: JsonValueKind.Object } headers)
        {
            foreach (var header in headers.EnumerateObject())
            {
                context.Response.Headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText();
            }
        }

        switch (Json.Property(responseObject, "body"))
        {
            case { ValueKind: JsonValueKind.String } text:
                await context.Response.WriteAsync(text.GetString()!, context.RequestAborted);
                break;
            case { ValueKind: JsonValueKind.Object or JsonValueKind.Array } json:
                if (string.IsNullOrEmpty(context.Response.ContentType))
                {
                    context.Response.ContentType = "application/json";
                }

                await context.Response.WriteAsync(json.GetRawText(), context.RequestAborted);
                break;
        }
    }

    private async Task AdminAsync(HttpContext context, string path)
    {
        if (options.RequireFunctionKeys && !HasValidKey(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var segments = path.Trim('/').Split('/');
        if (segments is ["admin", "host", "status"] && HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.WriteAsJsonAsync(new { state = "Running", version = HandlerInvoker.HostVersion }, context.RequestAborted);
            return;
        }

        if (segments is ["admin", "functions"] && HttpMethods.IsGet(context.Request.Method))
        {
            var list = new JsonArray([.. functions.Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name,
                ["trigger"] = f.TriggerType,
                ["route"] = f.Route,
                ["methods"] = new JsonArray([.. f.Methods.Select(m => (JsonNode?)m)]),
                ["authLevel"] = f.AuthLevel,
                ["queueName"] = f.QueueName,
                ["schedule"] = f.Schedule,
                ["isDisabled"] = f.IsDisabled,
            })]);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(list.ToJsonString(), context.RequestAborted);
            return;
        }

        // The host's "run a non-HTTP function" API: POST /admin/functions/{name} {"input": "..."} -> 202.
        if (segments is ["admin", "functions", var name] && HttpMethods.IsPost(context.Request.Method))
        {
            var function = functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (function is null || function.IsHttp)
            {
                context.Response.StatusCode = function is null ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
                return;
            }

            string? input = null;
            if (context.Request.ContentLength != 0)
            {
                try
                {
                    var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
                    input = Json.String(body, "input");
                }
                catch (JsonException)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return;
                }
            }

            if (function.IsTimer)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await triggerTimer(function.Name, CancellationToken.None);
                    }
                    catch (FunctionInvocationException)
                    {
                        // Already logged by the invoker.
                    }
                });
            }
            else if (queueOf(function) is { } queue)
            {
                queue.Send(new QueueMessage { Body = input ?? string.Empty, SessionId = queue.RequiresSession ? "admin" : null });
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
