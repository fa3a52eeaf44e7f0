using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Connector.Diagnostics;

namespace Connector.Messaging;

/// <summary>
/// Sends to the orders queue over the Service Bus REST API (design §2; reference/azure-functions-custom-handler.md §4.2):
/// <c>BrokerProperties.MessageId</c> makes duplicate detection drop re-sends, which also makes retrying a send safe.
/// </summary>
public sealed class ServiceBusSender(HttpClient http, ServiceBusOptions options, TimeProvider time, ILogger<ServiceBusSender> logger)
{
    /// <summary>The application property carrying the W3C trace parent (the Azure Service Bus SDK's convention).</summary>
    public const string DiagnosticIdProperty = "Diagnostic-Id";

    private const string BatchContentType = "application/vnd.microsoft.servicebus.json";

    // Stay well below the 256 KB Standard-tier limit per batch request.
    private const int MaxBatchBytes = 192 * 1024;
    private const int MaxBatchCount = 100;

    private (string Header, DateTimeOffset ExpiresAt)? _sas;

    public async Task SendAsync(string queueName, IReadOnlyCollection<QueueMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var batch = new List<(QueueMessage Message, string Body)>();
        var batchBytes = 0;
        foreach (var message in messages)
        {
            var body = JsonSerializer.Serialize(message, QueueMessage.JsonOptions);
            var size = Encoding.UTF8.GetByteCount(body) + 256;
            if (batch.Count > 0 && (batchBytes + size > MaxBatchBytes || batch.Count == MaxBatchCount))
            {
                await SendBatchAsync(queueName, batch, cancellationToken);
                batch.Clear();
                batchBytes = 0;
            }

            batch.Add((message, body));
            batchBytes += size;
        }

        if (batch.Count > 0)
        {
            await SendBatchAsync(queueName, batch, cancellationToken);
        }
    }

    public Task SendAsync(string queueName, QueueMessage message, CancellationToken cancellationToken) =>
        SendAsync(queueName, [message], cancellationToken);

    private async Task SendBatchAsync(string queueName, List<(QueueMessage Message, string Body)> batch, CancellationToken cancellationToken)
    {
        var target = new Uri(options.Endpoint, $"{Uri.EscapeDataString(queueName)}/messages");
        using var request = new HttpRequestMessage(HttpMethod.Post, target);
        var traceParent = Activity.Current?.Id;
        if (batch.Count == 1)
        {
            var (message, body) = batch[0];
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            request.Headers.TryAddWithoutValidation("BrokerProperties", JsonSerializer.Serialize(BrokerProperties(message)));
            if (traceParent is not null)
            {
                // Custom properties travel as extra headers (§4.2); the trace follows the order through the queue under
                // the Azure SDK's property name (the HTTP traceparent header belongs to this HTTP call, not the message).
                request.Headers.TryAddWithoutValidation(DiagnosticIdProperty, $"\"{traceParent}\"");
            }
        }
        else
        {
            var items = batch.Select(b => new
            {
                b.Body,
                BrokerProperties = BrokerProperties(b.Message),
                UserProperties = traceParent is null ? null : new Dictionary<string, string> { [DiagnosticIdProperty] = traceParent },
            });
            request.Content = new StringContent(JsonSerializer.Serialize(items, QueueMessage.JsonOptions), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(BatchContentType);
        }

        request.Headers.TryAddWithoutValidation("Authorization", await AuthorizationAsync(cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            Log.QueueSendFailed(logger, queueName, (int)response.StatusCode, batch.Count);
            Telemetry.QueueSendFailures.Add(1);
            throw new QueueSendException($"Service Bus refused the send to '{queueName}': HTTP {(int)response.StatusCode} {Trim(detail)}", (int)response.StatusCode);
        }
    }

    private static Dictionary<string, string> BrokerProperties(QueueMessage message)
    {
        var properties = new Dictionary<string, string> { ["MessageId"] = message.ServiceBusMessageId, ["ContentType"] = "application/json" };
        if (message.NotBefore is { } notBefore)
        {
            // RFC 1123, as the REST API documents it.
            properties["ScheduledEnqueueTimeUtc"] = notBefore.UtcDateTime.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }

        return properties;
    }

    private async ValueTask<string> AuthorizationAsync(CancellationToken cancellationToken)
    {
        if (options.Credential is { } credential)
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext(["https://servicebus.azure.net/.default"]), cancellationToken);
            return $"Bearer {token.Token}";
        }

        var now = time.GetUtcNow();
        if (_sas is { } cached && cached.ExpiresAt - now > TimeSpan.FromMinutes(5))
        {
            return cached.Header;
        }

        var expiresAt = now.AddHours(1);
        var header = SasToken.Create(options.Endpoint, options.KeyName!, options.Key!, expiresAt);
        _sas = (header, expiresAt);
        return header;
    }

    private static string Trim(string text) => text.Length <= 300 ? text : text[..300];
}

public sealed class QueueSendException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;
}
