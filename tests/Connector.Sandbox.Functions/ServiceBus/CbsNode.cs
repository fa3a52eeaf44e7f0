using Amqp;
using Amqp.Framing;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox.Functions;

/// <summary>
/// The <c>$cbs</c> node's put-token operation (azure-service-bus-amqp.md §3.3): body = the token string, application properties
/// <c>operation=put-token</c>, <c>type</c>, <c>name</c> (the audience), <c>expiration</c>. The reply carries correlation-id = the
/// request's message-id and <c>status-code</c> as an AMQP int (the SDK reads it as one) with <c>status-description</c>.
/// </summary>
internal sealed class CbsNode(CbsTokenValidator validator, ILogger logger)
{
    public const string Address = "$cbs";
    public const string SasTokenType = "servicebus.windows.net:sastoken";

    /// <summary>Checks the request, records a granted audience on <paramref name="client"/>, and builds the reply.</summary>
    public Message Handle(Message request, BrokerConnection client)
    {
        var properties = request.ApplicationProperties?.Map;
        var operation = properties?["operation"] as string;
        var type = properties?["type"] as string;
        var audience = properties?["name"] as string;
        var (status, description) = operation switch
        {
            not "put-token" => (400, $"Bad Request: the $cbs node supports operation 'put-token' only (got '{operation}')."),
            _ when string.IsNullOrEmpty(audience) => (400, "Bad Request: 'name' (the audience) is missing."),
            _ when type == "jwt" => (401, "Entra (JWT) tokens cannot be validated by the emulation; use the SAS connection string."),
            _ when type != SasTokenType => (400, $"Bad Request: token type '{type}' is not '{SasTokenType}'."),
            _ => Check(request.Body as string, audience!, client),
        };

        if (status != 200)
        {
            Log.TokenRefused(logger, audience ?? "(none)", status, description);
        }

        var reply = new Message
        {
            Properties = new Properties(),
            ApplicationProperties = new ApplicationProperties(),
        };
        reply.Properties.SetCorrelationId(request.Properties?.GetMessageId());
        reply.ApplicationProperties.Map["status-code"] = status; // an int, not a long: the SDK casts it
        reply.ApplicationProperties.Map["status-description"] = description;
        return reply;
    }

    private (int Status, string Description) Check(string? token, string audience, BrokerConnection client)
    {
        // The SDK stamps tokens with the real clock, so expiry is checked against it (not a test's fake TimeProvider).
        var check = validator.Validate(token, audience, DateTimeOffset.UtcNow);
        if (!check.IsGranted)
        {
            return (401, check.Error!);
        }

        client.Grant(check.Path!, check.ExpiresAt);
        return (200, "OK");
    }
}
