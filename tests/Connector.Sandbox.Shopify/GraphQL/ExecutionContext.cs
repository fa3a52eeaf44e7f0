using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.Schema;

namespace Connector.Sandbox.Shopify.GraphQL;

/// <summary>Per-request state shared by the planner, the executor and the resolvers.</summary>
internal sealed class ExecutionContext
{
    public required AdminSchema Schema { get; init; }

    public required ResolverRegistry Resolvers { get; init; }

    public required ParsedRequest Request { get; init; }

    public required SimShopifyShop Shop { get; init; }

    /// <summary>Coerced variable values (absent variables are absent).</summary>
    public required JsonObject Variables { get; init; }

    public required TimeProvider Time { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public List<GraphQLError> Errors { get; } = [];

    /// <summary><c>extensions.search</c> entries: ignored search terms per field.</summary>
    public JsonArray SearchWarnings { get; } = [];

    /// <summary>The response path of the field being resolved (for warnings).</summary>
    public IReadOnlyList<object> CurrentPath { get; set; } = [];

    /// <summary>The <c>@idempotent(key:)</c> of the root field being resolved; null when the field has none.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Set by orderCreate when the shop was told to drop the response: the endpoint aborts the connection.</summary>
    public bool AbortConnection { get; set; }
}
