using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Connector.State;

namespace Connector.Products;

/// <summary>
/// One SKU of the catalogue link (table Products, partition = shop): a TikTok SKU (row <c>k|seller SKU</c>) with the store
/// variant it is linked to, or a store variant no TikTok SKU names (row <c>s|variant id</c>: Not Uploaded).
/// </summary>
public sealed class ProductLinkEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? SellerSku { get; set; }

    /// <summary>One of <see cref="LinkStates"/>.</summary>
    public string Link { get; set; } = LinkStates.Linked;

    /// <summary>Why the SKU is not linked, in the merchant's words.</summary>
    public string? LinkReason { get; set; }

    /// <summary>The seed status (<see cref="ProductStatuses"/>).</summary>
    public string Status { get; set; } = ProductStatuses.NotUploaded;

    public string? TikTokProductId { get; set; }
    public string? TikTokSkuId { get; set; }

    /// <summary>The seller SKUs of the same TikTok product, comma-joined: a stock push batches them in one UpdateInventory.</summary>
    public string? ProductSkus { get; set; }
    public string? TikTokTitle { get; set; }
    public string? TikTokStatus { get; set; }
    public long TikTokUpdateTime { get; set; }

    /// <summary>TikTok's audit failure reasons (Failed products), joined for display.</summary>
    public string? AuditReasons { get; set; }

    /// <summary>The SKU's warehouses on TikTok, comma-separated, the first one taking the stock.</summary>
    public string? Warehouses { get; set; }
    public int? TikTokQuantity { get; set; }
    public string? TikTokCurrency { get; set; }

    /// <summary>The SKU's price on TikTok (tax-exclusive price, else sale price), for price sync.</summary>
    public double? TikTokPrice { get; set; }

    public string? StoreProductId { get; set; }
    public string? StoreVariantId { get; set; }
    public string? StoreSku { get; set; }
    public string? StoreTitle { get; set; }
    public int? StoreAvailable { get; set; }
    public double? StorePrice { get; set; }

    /// <summary>The store's time of <see cref="StoreAvailable"/>: a level older than this is never applied.</summary>
    public DateTimeOffset? StoreUpdatedAt { get; set; }

    /// <summary>The store level (its time) TikTok last got, and when.</summary>
    public DateTimeOffset? PushedStoreUpdatedAt { get; set; }
    public DateTimeOffset? PushedAt { get; set; }

    /// <summary>TikTok's refusal of the last push, shown on the product with a retry.</summary>
    public string? PushError { get; set; }

    /// <summary>Connector deactivated the product because every SKU sold out (StockPlan); it activates it when stock returns.</summary>
    public bool HiddenForStock { get; set; }

    public DateTimeOffset? SyncedAt { get; set; }

    public IReadOnlyList<string> ProductSkuList() =>
        ProductSkus is { Length: > 0 } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries) : SellerSku is null ? [] : [SellerSku];

    public IEnumerable<string> WarehouseIds() => (Warehouses ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
}

public static class LinkStates
{
    public const string Linked = "linked";

    /// <summary>The TikTok SKU has no store variant with its seller SKU.</summary>
    public const string NotInStore = "not_in_store";

    /// <summary>Several store variants (or several TikTok SKUs) share the SKU.</summary>
    public const string Ambiguous = "ambiguous";

    /// <summary>The TikTok SKU has no seller SKU.</summary>
    public const string NoSku = "no_sku";

    /// <summary>A store variant no TikTok SKU names.</summary>
    public const string StoreOnly = "store_only";
}

/// <summary>
/// The shop's product state and settings, one partition per shop; writes to one partition go in batches of 100. Link rows
/// are keyed <c>k|</c> (TikTok SKU), <c>n|</c> (TikTok SKU without seller SKU), <c>s|</c> (store-only variant); the
/// settings and run rows start with '_' so no range read of link rows ever meets them.
/// </summary>
public sealed class ProductStore(StateTables tables)
{
    public const string Table = "Products";
    public const string SettingsRow = "_settings";
    public const string RunRow = "_run";
    private const int BatchSize = 100;

    public static string SkuKey(string sellerSku) => "k|" + KeyEncoding.Encode(sellerSku);

    public static string StoreOnlyKey(string variantId) => "s|" + KeyEncoding.Encode(variantId);

    public async Task<List<ProductLinkEntity>> ListAsync(string shopId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and RowKey ge {"k|"} and RowKey lt {"t"}");
        var result = new List<ProductLinkEntity>();
        await foreach (var row in table.QueryAsync<ProductLinkEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            result.Add(row);
        }

        return result;
    }

    /// <summary>The row naming a store variant (a filter inside the shop's partition: used only when the SKU's own row is not it).</summary>
    public async Task<ProductLinkEntity?> FindByVariantAsync(string shopId, string variantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and StoreVariantId eq {variantId}");
        await foreach (var row in table.QueryAsync<ProductLinkEntity>(filter, maxPerPage: 10, cancellationToken: cancellationToken))
        {
            return row;
        }

        return null;
    }

    /// <summary>The rows of one TikTok product (a filter inside the shop's partition; product webhooks only).</summary>
    public async Task<List<ProductLinkEntity>> FindByProductAsync(string shopId, string productId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shopId} and TikTokProductId eq {productId}");
        var result = new List<ProductLinkEntity>();
        await foreach (var row in table.QueryAsync<ProductLinkEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(row);
        }

        return result;
    }

    public async Task<ProductLinkEntity?> GetAsync(string shopId, string rowKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<ProductLinkEntity>(shopId, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Writes (replaces) and deletes rows in entity group transactions of 100.</summary>
    public async Task WriteAsync(string shopId, IReadOnlyCollection<ProductLinkEntity> upserts, IReadOnlyCollection<string> deletes, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var actions = upserts.Select(r =>
        {
            r.PartitionKey = shopId;
            return new TableTransactionAction(TableTransactionActionType.UpsertReplace, r);
        }).Concat(deletes.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(shopId, key), ETag.All)));
        foreach (var chunk in actions.Chunk(BatchSize))
        {
            await table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    /// <summary>Replaces the row if it is still the version read; false when someone wrote it meanwhile.</summary>
    public async Task<bool> TryReplaceAsync(ProductLinkEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var table = await tables.GetAsync(Table, cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task<ProductSettings> GetSettingsAsync(string shopId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(shopId, SettingsRow, ["Json"], cancellationToken);
        return found.HasValue && found.Value!.GetString("Json") is { } json
            ? JsonSerializer.Deserialize<ProductSettings>(json, JsonOptions) ?? new ProductSettings()
            : new ProductSettings();
    }

    public async Task SaveSettingsAsync(string shopId, ProductSettings settings, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(shopId, SettingsRow) { ["Json"] = JsonSerializer.Serialize(settings, JsonOptions) }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<ProductSyncRunEntity?> GetRunAsync(string shopId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<ProductSyncRunEntity>(shopId, RunRow, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    public async Task SaveRunAsync(ProductSyncRunEntity run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.RowKey = RunRow;
        var table = await tables.GetAsync(Table, cancellationToken);
        await table.UpsertEntityAsync(run, TableUpdateMode.Replace, cancellationToken);
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The shop's current "Sync Shop Status" run and its progress.</summary>
public sealed class ProductSyncRunEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = ProductStore.RunRow;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string RunId { get; set; } = "";
    public string Trigger { get; set; } = "";
    public string Phase { get; set; } = "queued";
    public int TikTokProducts { get; set; }
    public int StoreVariants { get; set; }
    public int Linked { get; set; }
    public int StockUpdatesQueued { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
}
