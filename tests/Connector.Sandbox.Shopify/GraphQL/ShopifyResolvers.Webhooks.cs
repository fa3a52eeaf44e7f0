using System.Text.Json.Nodes;

namespace Connector.Sandbox.Shopify.GraphQL;

internal sealed record WebhookSubscriptionPayloadView(SimShopifyWebhookSubscription? Subscription, IReadOnlyList<ShopUserError> UserErrors);

internal sealed record WebhookSubscriptionDeletePayloadView(string? DeletedId, IReadOnlyList<ShopUserError> UserErrors);

internal sealed record ApiVersionView(string Handle);

/// <summary>Shop-scoped webhook subscriptions: webhookSubscriptionCreate/Delete, webhookSubscription(s).</summary>
internal static partial class ShopifyResolvers
{
    private static void AddWebhookTypes(ResolverRegistry registry)
    {
        new TypeResolvers<SimShopifyShop>(registry.Find("QueryRoot")!)
            .Field("webhookSubscription", (s, a, _) => s.WebhookSubscriptions.FirstOrDefault(w => w.Id == a.Str("id")))
            .Field("webhookSubscriptions", (s, a, _) => WebhookSubscriptions(s, a));

        new TypeResolvers<SimShopifyShop>(registry.Find("Mutation")!)
            .Field("webhookSubscriptionCreate", (s, a, _) =>
            {
                var input = a.Obj("webhookSubscription")!;
                RefuseUnsimulated(input);
                var outcome = s.CreateWebhookSubscription(a.Str("topic")!, input);
                return new WebhookSubscriptionPayloadView(outcome.Subscription, outcome.Errors);
            })
            .Field("webhookSubscriptionDelete", (s, a, _) =>
            {
                var (deleted, errors) = s.DeleteWebhookSubscription(a.Str("id")!);
                return new WebhookSubscriptionDeletePayloadView(deleted, errors);
            });

        registry.Type<SimShopifyWebhookSubscription>("WebhookSubscription")
            .Field("id", w => w.Id)
            .Field("legacyResourceId", w => Gid.Number(w.Id))
            .Field("topic", w => w.Topic)
            .Field("uri", w => w.Uri)
            .Field("callbackUrl", w => w.Uri)
            .Field("format", w => w.Format)
            .Field("includeFields", w => w.IncludeFields)
            .Field("filter", _ => null)
            .Field("metafieldNamespaces", _ => Array.Empty<string>())
            .Field("createdAt", w => w.CreatedAt)
            .Field("updatedAt", w => w.UpdatedAt)
            .Field("apiVersion", (_, c) => new ApiVersionView(c.Shop.GraphQLUrl.Segments[^2].TrimEnd('/')));

        registry.Type<ApiVersionView>("ApiVersion")
            .Field("handle", v => v.Handle)
            .Field("displayName", v => v.Handle)
            .Field("supported", _ => true);

        registry.Type<WebhookSubscriptionPayloadView>("WebhookSubscriptionCreatePayload")
            .Field("webhookSubscription", p => p.Subscription)
            .Field("userErrors", p => p.UserErrors);
        registry.Type<WebhookSubscriptionDeletePayloadView>("WebhookSubscriptionDeletePayload")
            .Field("deletedWebhookSubscriptionId", p => p.DeletedId)
            .Field("userErrors", p => p.UserErrors);
    }

    /// <summary>Filters and metafields change what Shopify sends; rather than ignore them silently, the simulator says so.</summary>
    private static void RefuseUnsimulated(JsonObject input)
    {
        foreach (var name in new[] { "filter", "metafieldNamespaces", "metafields" })
        {
            if (input[name] is JsonValue or JsonArray { Count: > 0 })
            {
                throw new FieldErrorException(
                    $"webhookSubscription.{name} is not implemented by the Shopify simulator.",
                    new JsonObject { ["code"] = "SIMULATOR_NOT_IMPLEMENTED" });
            }
        }
    }

    /// <summary>webhookSubscriptions(topics, uri, format, sortKey CREATED_AT|ID, first/last/after/before/reverse); query not simulated.</summary>
    private static Connection WebhookSubscriptions(SimShopifyShop shop, JsonObject arguments)
    {
        if (arguments.Str("query") is { Length: > 0 })
        {
            throw new FieldErrorException("webhookSubscriptions(query:) is not implemented by the Shopify simulator.", new JsonObject { ["code"] = "SIMULATOR_NOT_IMPLEMENTED" });
        }

        var topics = arguments.Strings("topics");
        var uri = arguments.Str("uri");
        var format = arguments.Str("format");

        // Ids grow with creation time, so CREATED_AT and ID give the same order.
        var list = shop.WebhookSubscriptions
            .Where(w => topics.Count == 0 || topics.Contains(w.Topic))
            .Where(w => uri is null || w.Uri == uri)
            .Where(w => format is null || w.Format == format)
            .ToArray();
        return ResolverRegistry.Paginate(list, w => Gid.Number(w.Id), arguments);
    }
}
