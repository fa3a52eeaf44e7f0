using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Connector.State;
using Microsoft.Extensions.Options;

namespace Connector.Stores.Etsy;

/// <summary>
/// The inventory ledger (<c>EtsyLedger</c>, partition = shop id): one row per TikTok order and SKU saying how much stock
/// Connector took from which listing and whether it gave it back, checked before every inventory write so one TikTok
/// order never decrements twice; plus a row per order once all its SKUs are done (the "imported" marker).
/// </summary>
public sealed class EtsyLedger(StateTables tables)
{
    public const string Table = "EtsyLedger";
    public const string Applied = "applied";
    public const string Restored = "restored";

    /// <summary>Units of a completed TikTok return put back on the listing (see EtsyClient.RefundAsync).</summary>
    public const string Refunded = "refunded";

    public sealed record Entry(string OrderId, string Sku, long ListingId, int Quantity, string State);

    public async Task<IReadOnlyList<Entry>> ListAsync(string shopId, string orderId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var prefix = OrderPrefix(orderId);
        var entries = new List<Entry>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == shopId && e.RowKey.CompareTo(prefix) > 0 && e.RowKey.CompareTo(OrderPrefix(orderId, end: true)) < 0, cancellationToken: cancellationToken))
        {
            entries.Add(new Entry(orderId, row.GetString("Sku") ?? string.Empty, row.GetInt64("ListingId") ?? 0, row.GetInt32("Quantity") ?? 0, row.GetString("State") ?? string.Empty));
        }

        return entries;
    }

    public async Task RecordAsync(string shopId, Entry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await tables.GetAsync(Table, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(shopId, OrderPrefix(entry.OrderId) + Key(entry.Sku))
        {
            ["Sku"] = entry.Sku,
            ["ListingId"] = entry.ListingId,
            ["Quantity"] = entry.Quantity,
            ["State"] = entry.State,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The order row: every SKU of the order has been taken from Etsy.</summary>
    public async Task MarkDoneAsync(string shopId, string orderId, IEnumerable<long> listingIds, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(shopId, OrderPrefix(orderId))
        {
            ["Listings"] = string.Join(',', listingIds.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<long>?> GetDoneAsync(string shopId, string orderId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(shopId, OrderPrefix(orderId), cancellationToken: cancellationToken);
        return row.HasValue
            ? [.. (row.Value!.GetString("Listings") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l, CultureInfo.InvariantCulture))]
            : null;
    }

    private static string Key(string value) => KeyEncoding.Encode(value).Replace("|", "%7C", StringComparison.Ordinal);

    private static string OrderPrefix(string orderId, bool end = false) => Key(orderId) + (end ? "}" : "|");
}

/// <summary>
/// A lock per Etsy listing across instances (Etsy's inventory has no ETag): a lease row in <c>EtsyLocks</c> taken with an
/// ETag-conditional write and held for one read-modify-write. Before writing, the holder records what it is about to
/// do (kind, order, SKUs, the inventory's signature); the next holder of a lease left with such a record by a crash
/// re-reads the inventory to tell whether that write landed, and completes the ledger accordingly.
/// </summary>
public sealed class EtsyListingLocks(StateTables tables, IOptions<EtsyOptions> options, TimeProvider time)
{
    public const string Table = "EtsyLocks";

    public sealed record Pending(string Kind, string OrderId, Dictionary<string, int> Deltas, string Signature);

    public async Task<Lease> AcquireAsync(string shopId, long listingId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken);
        var key = "listing|" + listingId.ToString(CultureInfo.InvariantCulture);
        var holder = Guid.NewGuid().ToString("N");
        var deadline = time.GetUtcNow() + options.Value.ListingLockWait;
        while (true)
        {
            var now = time.GetUtcNow();
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(shopId, key, cancellationToken: cancellationToken);
            var row = existing.HasValue ? existing.Value! : new TableEntity(shopId, key);
            if (!existing.HasValue || row.GetDateTimeOffset("Until") is not { } until || until <= now)
            {
                row["Holder"] = holder;
                row["Until"] = now + options.Value.ListingLockLifetime;
                try
                {
                    var response = existing.HasValue
                        ? await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken)
                        : await table.AddEntityAsync(row, cancellationToken);
                    row.ETag = response.Headers.ETag ?? row.ETag;
                    return new Lease(table, row, listingId, time);
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    // Someone else took it first.
                }
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new StoreUnavailableException($"Etsy listing {listingId} is being updated by another import; the order will be retried.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(150 + Random.Shared.Next(100)), time, cancellationToken);
        }
    }

    public sealed class Lease(TableClient table, TableEntity row, long listingId, TimeProvider time) : IAsyncDisposable
    {
        public long ListingId => listingId;

        public Pending? Pending => row.GetString("PendingKind") is { Length: > 0 } kind
            ? new Pending(kind, row.GetString("PendingOrder") ?? string.Empty,
                JsonSerializer.Deserialize<Dictionary<string, int>>(row.GetString("PendingDeltas") ?? "{}") ?? [], row.GetString("PendingSignature") ?? string.Empty)
            : null;

        public Task SetPendingAsync(Pending pending, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(pending);
            row["PendingKind"] = pending.Kind;
            row["PendingOrder"] = pending.OrderId;
            row["PendingDeltas"] = JsonSerializer.Serialize(pending.Deltas);
            row["PendingSignature"] = pending.Signature;
            return SaveAsync(cancellationToken);
        }

        public Task ClearPendingAsync(CancellationToken cancellationToken)
        {
            row["PendingKind"] = string.Empty;
            row["PendingOrder"] = string.Empty;
            row["PendingDeltas"] = string.Empty;
            row["PendingSignature"] = string.Empty;
            return SaveAsync(cancellationToken);
        }

        private async Task SaveAsync(CancellationToken cancellationToken)
        {
            try
            {
                var response = await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                row.ETag = response.Headers.ETag ?? row.ETag;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw new StoreUnavailableException($"The lock on Etsy listing {listingId} expired during the update; the order will be retried.");
            }
        }

        /// <summary>Releases the lease (a pending record stays for the next holder to settle).</summary>
        public async ValueTask DisposeAsync()
        {
            row["Holder"] = string.Empty;
            row["Until"] = time.GetUtcNow().AddSeconds(-1);
            try
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, CancellationToken.None);
            }
            catch (RequestFailedException)
            {
                // Expired and taken over, or storage trouble: the lease runs out on its own.
            }
        }
    }
}
