using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>
/// The Service Bus REST send API (§4.2): <c>POST /{queue}/messages</c> with one message (body = payload,
/// <c>BrokerProperties</c> header, custom headers = user properties) or a batch
/// (<c>Content-Type: application/vnd.microsoft.servicebus.json</c>, a JSON array of <c>{Body, BrokerProperties, UserProperties}</c>).
/// Answers 201; 401 for a missing/bad/expired SAS; 410 for an unknown queue; 400 for a malformed request.
/// </summary>
internal sealed class ServiceBusEndpoint(
    Func<string, EmulatedQueue?> findQueue,
    string keyName,
    string key,
    TimeProvider timeProvider,
    ILogger logger)
{
    public const string BatchContentType = "application/vnd.microsoft.servicebus.json";

    // Request headers that are part of HTTP or of the API, not custom (user) properties.
    private static readonly HashSet<string> StandardHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "BrokerProperties", "Content-Type", "Content-Length", "Content-Encoding", "Host", "User-Agent",
        "Accept", "Accept-Encoding", "Accept-Charset", "Accept-Language", "Connection", "Keep-Alive", "Expect",
        "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Date", "Cookie", "Cache-Control", "Pragma", "Origin", "Referer",
        "traceparent", "tracestate", "Request-Id", "Correlation-Context", "baggage", "Max-Forwards",
    };

    public void Map(WebApplication app)
    {
        app.MapPost("/{queue}/messages", HandleAsync);
        app.MapFallback((HttpContext context) => Results.Text(
            $"The Service Bus emulation serves POST /{{queue}}/messages only (got {context.Request.Method} {context.Request.Path}).",
            statusCode: StatusCodes.Status404NotFound));
    }

    private async Task<IResult> HandleAsync(string queue, HttpContext context)
    {
        var request = context.Request;
        var authError = ServiceBusSas.Validate(
            request.Headers.Authorization.ToString(), keyName, key, queue, request.Host.Host, context.Connection.LocalPort, timeProvider.GetUtcNow());
        if (authError is not null)
        {
            return Reject(queue, StatusCodes.Status401Unauthorized, authError);
        }

        if (findQueue(queue) is not { } target)
        {
            return Reject(queue, StatusCodes.Status410Gone, $"The messaging entity '{queue}' could not be found (known queues come from serviceBusTrigger bindings and FunctionsHostOptions.Queues).");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();

        List<(byte[] Body, QueueMessage Properties)> messages;
        try
        {
            messages = request.ContentType?.StartsWith(BatchContentType, StringComparison.OrdinalIgnoreCase) == true
                ? ParseBatch(body)
                : [(body, ParseSingle(request))];
        }
        catch (FormatException ex)
        {
            return Reject(queue, StatusCodes.Status400BadRequest, ex.Message);
        }

        if (target.RequiresSession && messages.Any(m => string.IsNullOrEmpty(m.Properties.SessionId)))
        {
            return Reject(queue, StatusCodes.Status400BadRequest, $"The SessionId was not set on a message, and it cannot be sent to the entity '{queue}': sessions are enabled on it.");
        }

        foreach (var (messageBody, properties) in messages)
        {
            target.Enqueue(messageBody, properties);
        }

        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private IResult Reject(string queue, int statusCode, string reason)
    {
        Log.SendRejected(logger, queue, statusCode, reason);
        return Results.Text(reason, statusCode: statusCode);
    }

    private static QueueMessage ParseSingle(HttpRequest request)
    {
        var brokerProperties = request.Headers["BrokerProperties"].ToString();
        JsonElement? properties = null;
        if (!string.IsNullOrWhiteSpace(brokerProperties))
        {
            properties = ParseJson(brokerProperties, "The BrokerProperties header");
        }

        var userProperties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var header in request.Headers)
        {
            if (!StandardHeaders.Contains(header.Key) && !header.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase)
                && !header.Key.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
            {
                userProperties[header.Key] = HeaderValue(header.Value.ToString());
            }
        }

        return FromBrokerProperties(properties, request.ContentType, userProperties);
    }

    private static List<(byte[] Body, QueueMessage Properties)> ParseBatch(byte[] body)
    {
        var root = ParseJson(Encoding.UTF8.GetString(body), "The batch body");
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("A batch body must be a JSON array of {\"Body\", \"BrokerProperties\", \"UserProperties\"} objects.");
        }

        var result = new List<(byte[], QueueMessage)>();
        foreach (var item in root.EnumerateArray())
        {
            if (Json.Property(item, "Body") is not { ValueKind: JsonValueKind.String } messageBody)
            {
                throw new FormatException($"Batch message {result.Count} has no string 'Body'.");
            }

            var userProperties = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (Json.Property(item, "UserProperties") is { ValueKind: JsonValueKind.Object } user)
            {
                foreach (var property in user.EnumerateObject())
                {
                    userProperties[property.Name] = Scalar(property.Value);
                }
            }

            var properties = Json.Property(item, "BrokerProperties") is { ValueKind: JsonValueKind.Object } broker ? broker : (JsonElement?)null;
            result.Add((Encoding.UTF8.GetBytes(messageBody.GetString()!), FromBrokerProperties(properties, null, userProperties)));
        }

        return result;
    }

    private static QueueMessage FromBrokerProperties(JsonElement? properties, string? contentType, Dictionary<string, object?> userProperties)
    {
        if (properties is { ValueKind: not JsonValueKind.Object })
        {
            throw new FormatException("BrokerProperties must be a JSON object.");
        }

        TimeSpan? timeToLive = null;
        if (Json.Property(properties, "TimeToLive") is { } ttl)
        {
            var seconds = ttl.ValueKind == JsonValueKind.Number ? ttl.GetDouble()
                : double.TryParse(ttl.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
                : throw new FormatException("BrokerProperties.TimeToLive must be a number of seconds.");
            timeToLive = seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        }

        DateTimeOffset? scheduled = null;
        if (Json.String(properties, "ScheduledEnqueueTimeUtc") is { } scheduledText)
        {
            scheduled = DateTimeOffset.TryParse(scheduledText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at
                : throw new FormatException($"BrokerProperties.ScheduledEnqueueTimeUtc '{scheduledText}' is not a date (RFC 1123, e.g. 'Sun, 06 Nov 1994 08:49:37 GMT').");
        }

        return new QueueMessage
        {
            Body = string.Empty,
            MessageId = Json.String(properties, "MessageId"),
            ContentType = Json.String(properties, "ContentType") ?? contentType,
            CorrelationId = Json.String(properties, "CorrelationId"),
            SessionId = Json.String(properties, "SessionId"),
            Subject = Json.String(properties, "Label") ?? Json.String(properties, "Subject"),
            To = Json.String(properties, "To"),
            ReplyTo = Json.String(properties, "ReplyTo"),
            ReplyToSessionId = Json.String(properties, "ReplyToSessionId"),
            PartitionKey = Json.String(properties, "PartitionKey"),
            TimeToLive = timeToLive,
            ScheduledEnqueueTimeUtc = scheduled,
            UserProperties = userProperties,
        };
    }

    private static JsonElement ParseJson(string text, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{what} is not valid JSON: {ex.Message}", ex);
        }
    }

    // Custom property headers: a quoted value is a string ("High"), otherwise a number or boolean when it parses as one.
    private static object? HeaderValue(string value)
    {
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(value);
            }
            catch (JsonException)
            {
                return value;
            }
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        return bool.TryParse(value, out var flag) ? flag : value;
    }

    private static object? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}
