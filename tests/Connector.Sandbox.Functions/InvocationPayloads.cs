using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Functions;

/// <summary>
/// The JSON invocation bodies the host POSTs to <c>/{FunctionName}</c> (§1.5): <c>{"Data": {...}, "Metadata": {...}}</c>.
/// The host serializes with Newtonsoft.Json: each metadata value goes through <c>JObject.FromObject</c> and, failing that,
/// <c>JsonConvert.SerializeObject</c>, so scalars (strings, GUIDs, dates, numbers) arrive JSON-encoded inside a string
/// (<c>"MessageId": "\"abc\""</c>, <c>"DeliveryCount": "1"</c>) while dictionaries and objects stay objects.
/// </summary>
public static class InvocationPayloads
{
    /// <summary>Newtonsoft leaves non-ASCII, '&lt;', '&gt;', '&amp;' and '+' unescaped; so does this.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A value JSON-encoded as <c>JsonConvert.SerializeObject</c> would (a string gets its quotes and escapes).</summary>
    public static string Encode(string value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>Newtonsoft's ISO format for a UTC DateTime: <c>2020-10-22T21:49:35.809Z</c>.</summary>
    public static string FormatUtc(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Newtonsoft's ISO format for a DateTimeOffset: <c>2020-10-22T21:49:35.809+00:00</c>.</summary>
    public static string FormatOffset(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    internal static JsonObject Sys(string methodName, DateTimeOffset now) => new()
    {
        ["MethodName"] = methodName,
        ["UtcNow"] = FormatUtc(now),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    /// <summary>
    /// A serviceBusTrigger invocation as the host sends it (§1.5, captured sample plus the v5 extension's binding data keys):
    /// <c>Data.{binding}</c> is the body string JSON-encoded once more (the double encoding of the sample); Metadata has the
    /// client placeholders, JSON-encoded scalars, numbers as strings, the property dictionaries as objects, <c>sys</c>, and
    /// the top-level properties of a JSON object body promoted into it.
    /// </summary>
    public static string ServiceBus(FunctionDefinition function, EmulatedMessage message, string namespaceHost, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Body;
        var entityPath = function.QueueName ?? string.Empty;
        var metadata = new JsonObject
        {
            // Client objects (ServiceBusReceiver, ServiceBusMessageActions, ServiceBusClient) reach a custom handler only as
            // serialized blobs (§1.5); these placeholders keep their place and rough shape.
            ["MessageReceiver"] = new JsonObject
            {
                ["FullyQualifiedNamespace"] = namespaceHost,
                ["EntityPath"] = entityPath,
                ["ReceiveMode"] = 0,
                ["PrefetchCount"] = 0,
                ["Identifier"] = $"{entityPath}-{Guid.NewGuid()}",
                ["IsSessionReceiver"] = function.IsSessionsEnabled,
                ["IsClosed"] = false,
            },
        };
        if (function.IsSessionsEnabled)
        {
            metadata["MessageSession"] = new JsonObject
            {
                ["FullyQualifiedNamespace"] = namespaceHost,
                ["EntityPath"] = entityPath,
                ["SessionId"] = message.SessionId,
                ["IsClosed"] = false,
            };
        }

        metadata["MessageActions"] = new JsonObject();
        if (function.IsSessionsEnabled)
        {
            metadata["SessionActions"] = new JsonObject();
        }

        metadata["ReceiveActions"] = new JsonObject();
        metadata["Client"] = new JsonObject
        {
            ["FullyQualifiedNamespace"] = namespaceHost,
            ["IsClosed"] = false,
            ["TransportType"] = 0,
            ["Identifier"] = $"{namespaceHost}-{Guid.NewGuid()}",
        };
        metadata["DeliveryCount"] = message.DeliveryCount.ToString(CultureInfo.InvariantCulture);
        metadata["LockToken"] = Encode(message.LockToken?.ToString() ?? Guid.Empty.ToString());
        metadata["ExpiresAtUtc"] = Encode(FormatUtc(message.ExpiresAt));
        metadata["ExpiresAt"] = Encode(FormatOffset(message.ExpiresAt));
        metadata["EnqueuedTimeUtc"] = Encode(FormatUtc(message.EnqueuedTime));
        metadata["EnqueuedTime"] = Encode(FormatOffset(message.EnqueuedTime));
        metadata["MessageId"] = Encode(message.MessageId);
        AddEncoded(metadata, "ContentType", message.ContentType);
        AddEncoded(metadata, "ReplyTo", message.ReplyTo);
        metadata["SequenceNumber"] = message.SequenceNumber.ToString(CultureInfo.InvariantCulture);
        AddEncoded(metadata, "To", message.To);
        AddEncoded(metadata, "Label", message.Subject);
        AddEncoded(metadata, "Subject", message.Subject);
        AddEncoded(metadata, "CorrelationId", message.CorrelationId);
        metadata["ApplicationProperties"] = Properties(message.UserProperties);
        metadata["UserProperties"] = Properties(message.UserProperties);
        AddEncoded(metadata, "SessionId", message.SessionId);
        AddEncoded(metadata, "ReplyToSessionId", message.ReplyToSessionId);
        AddEncoded(metadata, "PartitionKey", message.PartitionKey);
        metadata["sys"] = Sys(function.Name, now);
        PromoteBodyProperties(metadata, body);

        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { [function.TriggerBindingName] = Encode(body) },
            ["Metadata"] = metadata,
        };
        return payload.ToJsonString(JsonOptions);
    }

    /// <summary>
    /// A timerTrigger invocation (§1.5): <c>Data.{binding}</c> is the TimerInfo object
    /// <c>{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last","Next","LastUpdated"},"IsPastDue":false}</c>.
    /// </summary>
    public static string Timer(FunctionDefinition function, DateTimeOffset last, DateTimeOffset next, DateTimeOffset lastUpdated, bool isPastDue, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(function);
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                [function.TriggerBindingName] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject
                    {
                        ["Last"] = FormatOffset(last),
                        ["Next"] = FormatOffset(next),
                        ["LastUpdated"] = FormatOffset(lastUpdated),
                    },
                    ["IsPastDue"] = isPastDue,
                },
            },
            ["Metadata"] = new JsonObject { ["sys"] = Sys(function.Name, now) },
        };
        return payload.ToJsonString(JsonOptions);
    }

    /// <summary>
    /// An httpTrigger invocation in the JSON form, for HTTP functions that are not proxied (§1.5, §1.7):
    /// <c>Data.{binding} = {Url, Method, Query (JSON text), Headers {name: [values]}, Params, Body, Identities}</c>.
    /// </summary>
    internal static string Http(FunctionDefinition function, Uri url, string method, IEnumerable<KeyValuePair<string, string[]>> query,
        IEnumerable<KeyValuePair<string, string[]>> headers, IReadOnlyDictionary<string, string?> routeValues, string? body, DateTimeOffset now)
    {
        var queryObject = new JsonObject();
        foreach (var (name, values) in query)
        {
            queryObject[name] = string.Join(',', values);
        }

        var headerObject = new JsonObject();
        foreach (var (name, values) in headers)
        {
            headerObject[name] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        var parameters = new JsonObject();
        foreach (var (name, value) in routeValues)
        {
            parameters[name] = value;
        }

        var metadata = new JsonObject
        {
            ["Query"] = queryObject.DeepClone(),
            ["Headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)string.Join(',', h.Value)))),
        };
        foreach (var (name, value) in routeValues)
        {
            metadata[name] = value is null ? null : Encode(value);
        }

        metadata["sys"] = Sys(function.Name, now);
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                [function.TriggerBindingName] = new JsonObject
                {
                    ["Url"] = url.ToString(),
                    ["Method"] = method,
                    ["Query"] = queryObject.ToJsonString(JsonOptions),
                    ["Headers"] = headerObject,
                    ["Params"] = parameters,
                    ["Body"] = body,
                    ["Identities"] = new JsonArray(),
                },
            },
            ["Metadata"] = metadata,
        };
        return payload.ToJsonString(JsonOptions);
    }

    private static void AddEncoded(JsonObject metadata, string key, string? value)
    {
        // Null binding data values are left out (the captured sample carries no null keys).
        if (value is not null)
        {
            metadata[key] = Encode(value);
        }
    }

    private static JsonObject Properties(IReadOnlyDictionary<string, object?> properties)
    {
        var result = new JsonObject();
        foreach (var (name, value) in properties)
        {
            result[name] = JsonSerializer.SerializeToNode(value, JsonOptions);
        }

        return result;
    }

    // The binding data of a JSON object body includes its top-level properties (the sample's "hello": "\"world\"").
    // Objects stay objects (JObject.FromObject succeeds); strings, numbers, booleans, arrays and null are JSON text.
    private static void PromoteBodyProperties(JsonObject metadata, string body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return;
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var (name, value) in obj.ToList())
        {
            // The trigger's own binding data wins; the host skips keys ending in "trigger".
            if (metadata.ContainsKey(name) || name.EndsWith("trigger", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            metadata[name] = value is JsonObject ? value.DeepClone() : (value?.ToJsonString(JsonOptions) ?? "null");
        }
    }
}
