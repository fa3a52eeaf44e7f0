using Connector.State;

namespace Connector.Web;

/// <summary>
/// Every shop-scoped route answers the same way about its shop: a malformed id (path or query) is a 400 naming
/// <c>shopId</c>, a shop that is not connected a 404, before the route runs. The route then reads the shop from
/// <see cref="Current"/> instead of loading it again.
/// </summary>
public static class ShopScope
{
    private static readonly object Key = new();

    public static RouteHandlerBuilder ForShop(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) => await FindAsync(context.HttpContext) ?? await next(context));

    /// <summary>
    /// The shop check itself, for a route that must refuse its own malformed input first (400 before 404): null when the
    /// shop is connected (then <see cref="Current"/> has it), else the problem to answer.
    /// </summary>
    public static async Task<IResult?> FindAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var shopId = http.Request.RouteValues.TryGetValue("shopId", out var fromRoute) ? fromRoute as string : http.Request.Query["shopId"].ToString();
        if (!ShopIds.IsValid(shopId))
        {
            return ShopIds.Problem();
        }

        var shop = await http.RequestServices.GetRequiredService<ShopStore>().GetAsync(shopId!, http.RequestAborted);
        if (shop is null)
        {
            return Problems.NotFound($"Shop '{shopId}' is not connected.");
        }

        http.Items[Key] = shop;
        return null;
    }

    /// <summary>The shop the filter found (only on routes marked <see cref="ForShop"/>).</summary>
    public static ShopEntity Current(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[Key] as ShopEntity ?? throw new InvalidOperationException("The route is not marked ForShop.");
    }
}
