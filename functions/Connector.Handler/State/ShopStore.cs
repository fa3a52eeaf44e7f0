using Azure;
using Azure.Data.Tables;

namespace Connector.State;

/// <summary>Shops table: one partition ("shop"), one row per shop id.</summary>
public sealed class ShopStore(StateTables tables, TimeProvider time)
{
    private readonly RecentReads<ShopEntity> _recent = new(time, keepNotFound: false);

    /// <summary>
    /// The shop as read within the last <see cref="RecentReads{TValue}.Lifetime"/> (for work done per order: one read per
    /// shop and instance, not one per order); a copy the caller may change. Writes on this instance are seen at once.
    /// </summary>
    public async Task<ShopEntity?> GetRecentAsync(string shopId, CancellationToken cancellationToken) =>
        (await _recent.GetAsync(shopId, ct => GetAsync(shopId, ct), cancellationToken))?.Copy();

    /// <summary>The shop as stored now.</summary>
    public async Task<ShopEntity?> GetAsync(string shopId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Shops, cancellationToken);
        var response = await table.GetEntityIfExistsAsync<ShopEntity>(ShopEntity.Partition, KeyEncoding.Encode(shopId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task UpsertAsync(ShopEntity shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var table = await tables.GetAsync(StateTables.Shops, cancellationToken);
        _recent.Forget(shop.ShopId);
        await table.UpsertEntityAsync(shop, TableUpdateMode.Replace, cancellationToken);
        _recent.Forget(shop.ShopId);
    }

    /// <summary>Writes the shop only if nobody changed it since it was read; false when someone did (412).</summary>
    public async Task<bool> TryReplaceAsync(ShopEntity shop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var table = await tables.GetAsync(StateTables.Shops, cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(shop, shop.ETag, TableUpdateMode.Replace, cancellationToken);
            shop.ETag = response.Headers.ETag ?? shop.ETag;
            _recent.Forget(shop.ShopId);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Records when something last happened (last webhook, last fetch) by merging that one property, so it never
    /// overwrites tokens or settings written meanwhile; display-only, so a failure is ignored.
    /// </summary>
    public async Task TouchAsync(string shopId, string property, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Shops, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(ShopEntity.Partition, KeyEncoding.Encode(shopId)) { [property] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            _recent.Forget(shopId); // the next look at it (e.g. "last webhook a minute ago?") reads it again
        }
        catch (RequestFailedException)
        {
            // Health display only.
        }
    }

    /// <summary>
    /// Writes TikTok's tokens by merging just those four properties, so a settings or store edit made meanwhile survives.
    /// </summary>
    public async Task MergeTikTokTokensAsync(ShopEntity tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var table = await tables.GetAsync(StateTables.Shops, cancellationToken);
        _recent.Forget(tokens.ShopId);
        await table.UpdateEntityAsync(
            new TableEntity(ShopEntity.Partition, tokens.RowKey)
            {
                [nameof(ShopEntity.AccessToken)] = tokens.AccessToken,
                [nameof(ShopEntity.AccessTokenExpiresAt)] = tokens.AccessTokenExpiresAt,
                [nameof(ShopEntity.RefreshToken)] = tokens.RefreshToken,
                [nameof(ShopEntity.RefreshTokenExpiresAt)] = tokens.RefreshTokenExpiresAt,
            },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);
        _recent.Forget(tokens.ShopId);
    }

    /// <summary>Every shop id, connected or not (housekeeping).</summary>
    public async IAsyncEnumerable<string> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Shops, cancellationToken);
        await foreach (var shop in table.QueryAsync<ShopEntity>(s => s.PartitionKey == ShopEntity.Partition, select: [nameof(ShopEntity.RowKey)], cancellationToken: cancellationToken))
        {
            yield return shop.RowKey;
        }
    }

    /// <summary>Every shop that is connected (the timer's fan-out list), page by page.</summary>
    public async IAsyncEnumerable<ShopEntity> ListConnectedAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Shops, cancellationToken);
        var query = table.QueryAsync<ShopEntity>(
            s => s.PartitionKey == ShopEntity.Partition,
            select: [nameof(ShopEntity.RowKey), nameof(ShopEntity.ConnectionStatus), nameof(ShopEntity.Platform)],
            cancellationToken: cancellationToken);
        await foreach (var shop in query)
        {
            // A deauthorised shop, or one whose store is not connected yet, has nothing to fetch for.
            if (!string.Equals(shop.ConnectionStatus, "disconnected", StringComparison.Ordinal) && !string.IsNullOrEmpty(shop.Platform))
            {
                yield return shop;
            }
        }
    }
}
