using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Shopify.GraphQL;
using Connector.Sandbox.Shopify.Schema;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.AspNetCore.Http;

namespace Connector.Sandbox.Shopify.Http;

/// <summary>
/// <c>POST {shop}/admin/api/{version}/graphql.json</c> (store-apis.md §2.1). Pipeline: shop and version (404),
/// <c>X-Shopify-Access-Token</c> (401), body, parse, validate against the schema, coerce variables, plan (implemented
/// fields, requested cost), single-query cost limit, leaky bucket (THROTTLED, §2.5), execute, refund the unused
/// cost, answer with <c>extensions.cost</c>. Validation failures answer HTTP 200 with <c>errors</c> and no cost, as
/// Shopify does.
/// </summary>
internal sealed class GraphQLEndpoint(ShopifySimulator simulator)
{
    public const string InvalidTokenMessage = "[API] Invalid API key or access token (unrecognized login or wrong password)";
    public const string ThrottleDocumentation = "https://shopify.dev/api/usage/rate-limits";

    public async Task HandleAsync(HttpContext http)
    {
        var shopName = (string)http.Request.RouteValues["shopName"]!;
        var version = (string)http.Request.RouteValues["version"]!;
        if (!simulator.TryGetShop(shopName, out var shop) || !string.Equals(version, simulator.Options.ApiVersion, StringComparison.Ordinal))
        {
            await WriteAsync(http, StatusCodes.Status404NotFound, new JsonObject { ["errors"] = "Not Found" });
            return;
        }

        shop.CountRequest();
        http.Response.Headers["X-Shopify-API-Version"] = version;
        http.Response.Headers["X-Request-Id"] = Guid.NewGuid().ToString();
        var token = http.Request.Headers["X-Shopify-Access-Token"].ToString();
        if (!shop.Accepts(token.Length == 0 ? null : token))
        {
            await WriteAsync(http, StatusCodes.Status401Unauthorized, new JsonObject { ["errors"] = InvalidTokenMessage });
            return;
        }

        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            await WriteAsync(http, StatusCodes.Status400BadRequest, new JsonObject { ["errors"] = new JsonObject { ["query"] = "Required parameter missing or invalid" } });
            return;
        }

        var response = await ExecuteAsync(shop, body.Value.Query, body.Value.Variables, body.Value.OperationName, http);
        if (response is null)
        {
            // DropResponseAfterNextOrderCreate: the order exists, the client never hears of it.
            http.Abort();
            return;
        }

        await WriteAsync(http, StatusCodes.Status200OK, response);
    }

    /// <summary>Runs a GraphQL request for a shop; null means "abort the connection".</summary>
    internal async Task<JsonObject?> ExecuteAsync(SimShopifyShop shop, string query, JsonObject variables, string? operationName, HttpContext? http)
    {
        ParsedRequest request;
        try
        {
            request = new ParsedRequest(query, Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.Comments }));
        }
        catch (GraphQLParserException ex)
        {
            return Errors(new GraphQLError($"syntax error, {ex.Description} at [{ex.Location.Line}, {ex.Location.Column}]")
            {
                Locations = [(ex.Location.Line, ex.Location.Column)],
            });
        }

        var nonExecutable = request.Document.Definitions.FirstOrDefault(d => d is not (GraphQLOperationDefinition or GraphQLFragmentDefinition));
        if (nonExecutable is not null)
        {
            return Errors(GraphQLError.At($"{nonExecutable.Kind} definitions are not allowed in a request.", request, nonExecutable, null, null));
        }

        var operations = request.Document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        GraphQLOperationDefinition? operation;
        if (!string.IsNullOrEmpty(operationName))
        {
            operation = operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
            if (operation is null)
            {
                return Errors(new GraphQLError($"No operation named \"{operationName}\""));
            }
        }
        else if (operations.Count == 1)
        {
            operation = operations[0];
        }
        else
        {
            return Errors(new GraphQLError(operations.Count == 0 ? "No operations in query document" : "An operation name is required"));
        }

        var validationErrors = DocumentValidator.Validate(simulator.Schema, request);
        if (validationErrors.Count > 0)
        {
            return Errors([.. validationErrors]);
        }

        var coercionErrors = new List<GraphQLError>();
        var coerced = CoerceVariables(request, operation, variables, coercionErrors);
        if (coercionErrors.Count > 0)
        {
            return Errors([.. coercionErrors]);
        }

        var context = new GraphQL.ExecutionContext
        {
            Schema = simulator.Schema,
            Resolvers = simulator.Resolvers,
            Request = request,
            Shop = shop,
            Variables = coerced,
            Time = simulator.Options.TimeProvider,
            CancellationToken = simulator.Stopping,
        };
        var executor = new Executor(context, operation);
        var unsupported = new List<GraphQLError>();
        var requestedCost = executor.Plan(unsupported);
        if (unsupported.Count > 0)
        {
            return Errors([.. unsupported]);
        }

        var maxCost = simulator.Options.BucketSize;
        if (requestedCost > maxCost)
        {
            return Errors(new GraphQLError($"Query cost is {requestedCost}, which exceeds the single query max cost limit ({maxCost}).\n\nSee {ThrottleDocumentation} for more information on how the cost of a query is calculated.")
            {
                Extensions = new JsonObject
                {
                    ["code"] = "MAX_COST_EXCEEDED",
                    ["cost"] = requestedCost,
                    ["maxCost"] = maxCost,
                    ["documentation"] = ThrottleDocumentation,
                },
            });
        }

        if (!shop.TryTakeCost(requestedCost, out var throttled))
        {
            var answer = Errors(new GraphQLError("Throttled")
            {
                Extensions = new JsonObject { ["code"] = "THROTTLED", ["documentation"] = ThrottleDocumentation },
            });
            answer["extensions"] = new JsonObject { ["cost"] = Cost(requestedCost, null, throttled) };
            return answer;
        }

        JsonObject? data;
        int actualCost;
        try
        {
            (data, actualCost) = await executor.ExecuteAsync();
        }
        catch
        {
            shop.RefundCost(requestedCost);
            throw;
        }

        if (operation.Operation == OperationType.Mutation)
        {
            actualCost = requestedCost;
        }

        actualCost = Math.Min(actualCost, requestedCost);
        var status = shop.RefundCost(requestedCost - actualCost);
        if (context.AbortConnection && http is not null)
        {
            return null;
        }

        var result = new JsonObject();
        if (context.Errors.Count > 0)
        {
            result["errors"] = new JsonArray(context.Errors.Select(e => (JsonNode)e.ToJson()).ToArray());
        }

        result["data"] = data;
        var extensions = new JsonObject { ["cost"] = Cost(requestedCost, actualCost, status) };
        if (context.SearchWarnings.Count > 0)
        {
            extensions["search"] = context.SearchWarnings.DeepClone();
        }

        result["extensions"] = extensions;
        return result;
    }

    private JsonObject CoerceVariables(ParsedRequest request, GraphQLOperationDefinition operation, JsonObject provided, List<GraphQLError> errors)
    {
        var coerced = new JsonObject();
        foreach (var definition in operation.Variables?.Items ?? [])
        {
            var name = definition.Variable.Name.StringValue;
            var type = TypeRef.From(definition.Type);
            var problems = new List<InputProblem>();
            JsonNode? value;
            if (provided.TryGetPropertyValue(name, out var given))
            {
                value = InputCoercion.Coerce(simulator.Schema, given, type, [], problems);
            }
            else if (definition.DefaultValue is not null)
            {
                value = InputCoercion.Coerce(simulator.Schema, InputCoercion.LiteralToJson(definition.DefaultValue, null), type, [], problems);
            }
            else
            {
                if (type.IsNonNull)
                {
                    problems.Add(new InputProblem([], "Expected value to not be null"));
                }
                else
                {
                    continue;
                }

                value = null;
            }

            if (problems.Count > 0)
            {
                var located = problems.Where(p => p.Path.Count > 0).ToList();
                var message = $"Variable ${name} of type {type} was provided invalid value";
                if (located.Count > 0)
                {
                    message += " for " + string.Join(", ", located.Select(p => $"{string.Join(".", p.Path)} ({p.Explanation})"));
                }

                errors.Add(GraphQLError.At(message, request, definition, null, new JsonObject
                {
                    ["value"] = given?.DeepClone(),
                    ["problems"] = new JsonArray(problems.Select(p => (JsonNode)new JsonObject
                    {
                        ["path"] = new JsonArray(p.Path.Select(x => x is int i ? JsonValue.Create(i) : (JsonNode)JsonValue.Create((string)x)).ToArray()),
                        ["explanation"] = p.Explanation,
                    }).ToArray()),
                }));
                continue;
            }

            coerced[name] = value;
        }

        return coerced;
    }

    private static JsonObject Cost(int requested, int? actual, ShopifyThrottleStatus status) => new()
    {
        ["requestedQueryCost"] = requested,
        ["actualQueryCost"] = actual,
        ["throttleStatus"] = new JsonObject
        {
            ["maximumAvailable"] = (double)status.MaximumAvailable,
            ["currentlyAvailable"] = status.CurrentlyAvailable,
            ["restoreRate"] = (double)status.RestoreRate,
        },
    };

    private static JsonObject Errors(params GraphQLError[] errors) =>
        new() { ["errors"] = new JsonArray(errors.Select(e => (JsonNode)e.ToJson()).ToArray()) };

    private static async Task<(string Query, JsonObject Variables, string? OperationName)?> ReadBodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        if (http.Request.ContentType?.StartsWith("application/graphql", StringComparison.OrdinalIgnoreCase) == true)
        {
            return string.IsNullOrWhiteSpace(text) ? null : (text, new JsonObject(), null);
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        var query = json.Str("query");
        if (string.IsNullOrWhiteSpace(query))
        {
            return null;
        }

        var variables = json!["variables"] switch
        {
            JsonObject obj => obj,
            JsonValue value when value.GetValueKind() == JsonValueKind.String && JsonNode.Parse(value.GetValue<string>()) is JsonObject parsed => parsed,
            _ => new JsonObject(),
        };
        return (query, (JsonObject)variables.DeepClone(), json.Str("operationName"));
    }

    internal static Task WriteAsync(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }
}
