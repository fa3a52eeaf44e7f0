using System.Text.Json;
using Connector.Functions;
using Connector.Orders;
using Connector.TikTok;
using Microsoft.Extensions.Options;
using Connector.Orders.Fetch;

namespace Connector.Web;

/// <summary>
/// <c>POST /api/webhooks/tiktok</c> (anonymous, proxied so the raw body arrives intact): verify the signature over the
/// exact bytes (reference/tiktok-shop-api.md §7.1), then hand over to <see cref="WebhookIntake"/>.
/// </summary>
public static class WebhookEndpoint
{
    /// <summary>TikTok's notifications are a few hundred bytes; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static void MapWebhookEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/webhooks/tiktok", ReceiveAsync).ForFunction("TikTokWebhook").WithInput(RouteInput.Body(MaxBodyBytes));

    private static async Task<IResult> ReceiveAsync(HttpRequest request, WebhookIntake intake, IOptions<TikTokOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        var settings = options.Value;
        if (!TikTokSigner.WebhookSignatureMatches(settings.AppKey, settings.AppSecret, body, request.Headers.Authorization.ToString()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Signature mismatch.",
                detail: "The Authorization header must be the lowercase hex HMAC-SHA256 of app key + body with the app secret.");
        }

        TikTokWebhook? webhook;
        try
        {
            webhook = JsonSerializer.Deserialize<TikTokWebhook>(body);
        }
        catch (JsonException e)
        {
            return Problems.JsonProblem(e);
        }

        if (webhook is null || !ShopIds.IsValid(webhook.ShopId))
        {
            return Problems.BadRequest("The webhook has no valid shop_id.");
        }

        if (webhook.Problem() is { } problem)
        {
            return Problems.BadRequest(problem);
        }

        var outcome = await intake.AcceptAsync(webhook, cancellationToken);
        return TypedResults.Ok(new { received = true, outcome });
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large.", detail: $"Webhook bodies are at most {MaxBodyBytes} bytes.");
}
