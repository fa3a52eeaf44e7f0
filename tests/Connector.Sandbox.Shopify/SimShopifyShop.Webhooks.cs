using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.GraphQL;
using Connector.Sandbox.Shopify.Webhooks;

namespace Connector.Sandbox.Shopify;

internal sealed record WebhookSubscriptionOutcome(SimShopifyWebhookSubscription? Subscription, IReadOnlyList<ShopUserError> Errors);

/// <summary>
/// Shop-scoped webhook subscriptions (webhookSubscriptionCreate/Delete) and the order webhooks they receive. Each
/// saved order version is compared with the previous one and the matching topics are queued, under the shop's lock,
/// so one order's webhooks are queued in change order. Messages marked [I] are plausible wording, not verified.
/// </summary>
public sealed partial class SimShopifyShop
{
    private ImmutableList<SimShopifyWebhookSubscription> _webhookSubscriptions = [];

    /// <summary>
    /// The custom app's API secret key (client secret): the HMAC key of X-Shopify-Hmac-Sha256. Random per shop.
    /// </summary>
    public string ApiSecretKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Subscriptions in creation order.</summary>
    public IReadOnlyList<SimShopifyWebhookSubscription> WebhookSubscriptions => Volatile.Read(ref _webhookSubscriptions);

    /// <summary>Every attempt to deliver this shop's webhooks so far (dropped ones included).</summary>
    public IReadOnlyList<ShopifyWebhookDelivery> WebhookDeliveries => [.. _webhooks.Deliveries.Where(d => d.ShopName == Name)];

    internal WebhookSubscriptionOutcome CreateWebhookSubscription(string topic, JsonObject input)
    {
        var uri = input.Str("uri") ?? input.Str("callbackUrl");
        var errors = new List<ShopUserError>();
        if (CheckUri(uri) is { } problem)
        {
            errors.Add(new ShopUserError(["webhookSubscription", "uri"], problem));
        }

        if (input.Str("format") == "XML")
        {
            // Shopify still offers XML; the simulator serialises JSON only (a simulator limit, not Shopify's rule).
            errors.Add(new ShopUserError(["webhookSubscription", "format"], "Format XML is not supported by the Shopify simulator; use JSON."));
        }

        lock (_gate)
        {
            if (errors.Count == 0 && _webhookSubscriptions.Any(s => s.Topic == topic && s.Uri == uri))
            {
                // Shopify's wording; the field is the legacy attribute name (as long observed with callbackUrl).
                errors.Add(new ShopUserError(["webhookSubscription", "callbackUrl"], "Address for this topic has already been taken"));
            }

            if (errors.Count > 0)
            {
                return new WebhookSubscriptionOutcome(null, errors);
            }

            var now = _time.GetUtcNow();
            var subscription = new SimShopifyWebhookSubscription(
                Gid.Create("WebhookSubscription", _ids.Next()), topic, uri!, "JSON", input.Strings("includeFields"), now, now);
            _webhookSubscriptions = _webhookSubscriptions.Add(subscription);
            return new WebhookSubscriptionOutcome(subscription, []);
        }
    }

    internal (string? DeletedId, IReadOnlyList<ShopUserError> Errors) DeleteWebhookSubscription(string id)
    {
        lock (_gate)
        {
            var subscription = _webhookSubscriptions.FirstOrDefault(s => s.Id == id);
            if (subscription is null)
            {
                return (null, [new ShopUserError(["id"], "Webhook subscription does not exist")]); // [I]
            }

            _webhookSubscriptions = _webhookSubscriptions.Remove(subscription);
            return (id, []);
        }
    }

    /// <summary>
    /// https is required; http is accepted for a loopback host (127.0.0.1, ::1, localhost), a simulator concession so
    /// tests need no TLS. Pub/Sub and EventBridge addresses are not simulated.
    /// </summary>
    private static string? CheckUri(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return "Address can't be blank"; // [I]
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http" or "pubsub" or "arn"))
        {
            return "Address is invalid"; // [I]
        }

        if (parsed.Scheme is "pubsub" or "arn")
        {
            return "Address: Pub/Sub and EventBridge are not supported by the Shopify simulator; use an https URL.";
        }

        var loopback = parsed.IsLoopback || (IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        return parsed.Scheme == "http" && !loopback ? "Address protocol http:// is not supported" : null; // [I] REST: "protocol http:// is not supported"
    }

    /// <summary>
    /// Topics for one saved change (caller holds the lock): creation → orders/create (+ orders/fulfilled when created
    /// fulfilled); any later change → orders/updated, after orders/cancelled when it cancels and orders/fulfilled or
    /// orders/partially_fulfilled when it adds a fulfillment.
    /// </summary>
    private void PublishOrderWebhooks(SimShopifyOrder? previous, SimShopifyOrder order)
    {
        var subscriptions = _webhookSubscriptions;
        if (subscriptions.IsEmpty)
        {
            return;
        }

        var topics = new List<string>();
        if (previous is null)
        {
            topics.Add("ORDERS_CREATE");
        }
        else if (order.CancelledAt is not null && previous.CancelledAt is null)
        {
            topics.Add("ORDERS_CANCELLED");
        }

        if (order.Fulfillments.Count > (previous?.Fulfillments.Count ?? 0))
        {
            topics.Add(order.FulfillmentStatus == "FULFILLED" ? "ORDERS_FULFILLED" : "ORDERS_PARTIALLY_FULFILLED");
        }

        if (previous is not null || _options.WebhookOrdersUpdatedOnCreate)
        {
            topics.Add("ORDERS_UPDATED");
        }

        var payload = OrderWebhookPayload.Build(order);
        var triggeredAt = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        foreach (var topic in topics)
        {
            var eventId = Guid.NewGuid().ToString();
            foreach (var subscription in subscriptions.Where(s => s.Topic == topic))
            {
                var body = Encoding.UTF8.GetBytes(OrderWebhookPayload.Include(payload, subscription.IncludeFields).ToJsonString(OrderWebhookPayload.Json));
                var webhookId = Guid.NewGuid().ToString();
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
                {
                    ["Content-Type"] = "application/json",
                    ["X-Shopify-Topic"] = subscription.TopicHeader,
                    ["X-Shopify-Hmac-Sha256"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ApiSecretKey), body)),
                    ["X-Shopify-Shop-Domain"] = MyshopifyDomain,
                    ["X-Shopify-API-Version"] = _options.ApiVersion,
                    ["X-Shopify-Webhook-Id"] = webhookId,
                    ["X-Shopify-Event-Id"] = eventId,
                    ["X-Shopify-Triggered-At"] = triggeredAt,
                };
                _webhooks.Publish(new WebhookDispatcher.Webhook(Name, subscription.Id, subscription.TopicHeader, subscription.Uri, webhookId, eventId, order.Id, body, headers));
            }
        }
    }
}
