using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>
/// Per shop: TikTok seller SKU → store product. Rows are either a cache of a lookup (refreshed after <see cref="SkuMapStore.CacheLifetime"/>)
/// or a merchant's override (a different store SKU for this TikTok SKU).
/// </summary>
public sealed class SkuMapEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string SellerSku { get; set; } = "";
    public string? StoreProductId { get; set; }
    public string? StoreSku { get; set; }
    public string? Title { get; set; }

    /// <summary>Set by the merchant: look this store SKU up instead of the TikTok one.</summary>
    public string? OverrideStoreSku { get; set; }
    public DateTimeOffset CachedAt { get; set; }
}

public sealed class SkuMapStore(StateTables tables, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromHours(1);

    private readonly RecentReads<SkuMapEntity> _recent = new(time, keepNotFound: true);

    /// <summary>
    /// The entry as read within the last <see cref="RecentReads{TValue}.Lifetime"/> (a burst of orders for one SKU reads it
    /// once); entries written on this instance are seen at once. Do not change the entry returned.
    /// </summary>
    public Task<SkuMapEntity?> GetRecentAsync(string shopId, string sellerSku, CancellationToken cancellationToken) =>
        _recent.GetAsync(CacheKey(shopId, sellerSku), ct => GetAsync(shopId, sellerSku, ct), cancellationToken);

    private static string CacheKey(string shopId, string sellerSku) => $"{shopId}\n{sellerSku}";

    /// <summary>The entry as stored now.</summary>
    public async Task<SkuMapEntity?> GetAsync(string shopId, string sellerSku, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.SkuMap, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<SkuMapEntity>(shopId, KeyEncoding.Encode(sellerSku), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>The merchant's overrides (rows with a store SKU set by hand).</summary>
    public async Task<List<SkuMapEntity>> ListOverridesAsync(string shopId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.SkuMap, cancellationToken);
        var result = new List<SkuMapEntity>();
        await foreach (var entry in table.QueryAsync<SkuMapEntity>(e => e.PartitionKey == shopId, cancellationToken: cancellationToken))
        {
            if (!string.IsNullOrEmpty(entry.OverrideStoreSku))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    public async Task UpsertAsync(string shopId, SkuMapEntity entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.PartitionKey = shopId;
        entry.RowKey = KeyEncoding.Encode(entry.SellerSku);
        var table = await tables.GetAsync(StateTables.SkuMap, cancellationToken);
        _recent.Forget(CacheKey(shopId, entry.SellerSku));
        await table.UpsertEntityAsync(entry, TableUpdateMode.Replace, cancellationToken);
        _recent.Set(CacheKey(shopId, entry.SellerSku), entry);
    }
}
