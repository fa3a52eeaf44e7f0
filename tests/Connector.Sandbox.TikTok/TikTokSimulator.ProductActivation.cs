using System.Text.Json.Nodes;

namespace Connector.Sandbox.TikTok;

/// <summary>
/// DeactivateProducts and ActivateProduct (product.json 202309): product_ids (at most 20, "Max number of IDs: 20"),
/// listing_platforms TIKTOK_SHOP or TOKOPEDIA. Deactivate takes ACTIVATE products to SELLER_DEACTIVATED; Activate takes
/// SELLER_DEACTIVATED or PLATFORM_DEACTIVATED products to PENDING (the audit; <see cref="TikTokSimulator.SetProductStatus"/>
/// passes it). A product in another status is listed in data.errors with its product_id and the others still move.
/// </summary>
public sealed partial class TikTokSimulator
{
    /// <summary>product.json DeactivateProducts / ActivateProduct: "Max number of IDs: 20".</summary>
    public const int ProductStatusBatchMax = 20;

    private static readonly HashSet<string> ListingPlatforms = new(["TIKTOK_SHOP", "TOKOPEDIA"], StringComparer.Ordinal);

    private Task<ApiResult> DeactivateProductsAsync(ApiCall call, CancellationToken cancellationToken) =>
        MoveProductsAsync(call, [SimProductStatus.Activate], SimProductStatus.SellerDeactivated, cancellationToken);

    private Task<ApiResult> ActivateProductsAsync(ApiCall call, CancellationToken cancellationToken) =>
        MoveProductsAsync(call, [SimProductStatus.SellerDeactivated, SimProductStatus.PlatformDeactivated], SimProductStatus.Pending, cancellationToken);

    private async Task<ApiResult> MoveProductsAsync(ApiCall call, string[] from, string to, CancellationToken cancellationToken)
    {
        List<string> ids;
        try
        {
            var body = ObjectBody(call.Body);
            ids = StringArray(body, "product_ids") ?? throw new ParamException("param body.product_ids is missing");
            if (ids.Count == 0)
            {
                throw new ParamException("param body.product_ids is missing");
            }

            if (ids.Count > ProductStatusBatchMax)
            {
                throw new ParamException($"param product_ids is invalid, max number of IDs: {ProductStatusBatchMax}");
            }

            if (StringArray(body, "listing_platforms") is { } platforms && platforms.Any(p => !ListingPlatforms.Contains(p)))
            {
                throw new ParamException("param listing_platforms is invalid, possible values: TIKTOK_SHOP, TOKOPEDIA");
            }
        }
        catch (ParamException e)
        {
            return Error(400, 36009004, e.Message);
        }

        if (await GateAsync(call, cancellationToken) is { } gated)
        {
            return gated;
        }

        lock (_gate)
        {
            var errors = new JsonArray();
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                if (!_products.TryGetValue(id, out var p) || p.ShopId != call.Shop.ShopId)
                {
                    errors.Add(ProductError(id, 12052048, "You can't edit other sellers' products"));
                }
                else if (!from.Contains(p.Status))
                {
                    errors.Add(ProductError(id, StatusNotAllowedCode, MsgProductStatusNotAllowed));
                }
                else
                {
                    SetProductStatus(id, to);
                }
            }

            return ApiResult.Ok(new JsonObject { ["errors"] = errors });
        }
    }

    private static JsonObject ProductError(string productId, int code, string message) => new()
    {
        ["code"] = code,
        ["detail"] = new JsonObject { ["product_id"] = productId },
        ["message"] = message,
    };
}
