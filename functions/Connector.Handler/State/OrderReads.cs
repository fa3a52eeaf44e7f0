using System.Text;

namespace Connector.State;

/// <summary>What the order grid asks for: a shop, a status tab (null = all), a created-at range, and a filter on the index entry.</summary>
public sealed record OrderListRequest(string ShopId, string? Status, long? CreatedFrom, long? CreatedTo, Func<OrderIndexEntity, bool> Matches, int PageSize, string? Continuation);

/// <summary>A page of the grid: the order rows, newest first, and where the next page starts (null = no more).</summary>
public sealed record OrderListPage(IReadOnlyList<OrderEntity> Rows, string? Continuation);

/// <summary>
/// The grid's read side (design §6.2): range queries over <see cref="OrderIndexEntity"/> pointers, newest first, then the
/// order rows themselves; a pointer that no longer matches its order is dropped and deleted. The index key formats
/// (<see cref="OrderIndexEntity.AllKey"/>, <see cref="OrderIndexEntity.StatusKey"/>) stay inside State.
/// </summary>
public sealed class OrderReads(OrderIndexStore index, OrderStore orders)
{
    /// <summary>Pointers examined per request at most; the continuation resumes where the scan stopped.</summary>
    private const int MaxScan = 2000;
    private const int PointersPerRead = 200;

    /// <summary>Null when the continuation is not one this component returned for the same query.</summary>
    public async Task<OrderListPage?> ListAsync(OrderListRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prefix = request.Status is null ? OrderIndexEntity.AllPrefix : OrderIndexEntity.StatusPrefix(request.Status);
        var from = prefix + (request.CreatedTo is { } to ? OrderIndexEntity.NewestFirst(to - 1) : "");
        var until = request.CreatedFrom is { } start ? prefix + OrderIndexEntity.NewestFirst(start) + "}" : OrderPartition.End(prefix);
        return await ScanAsync(
            request.ShopId, from, until, request.Continuation, request.PageSize, request.Matches,
            row => request.Status is null || row.MerchantStatus() == request.Status,
            cancellationToken);
    }

    /// <summary>
    /// A page of the Returns view's tab: the orders whose latest return is in it, newest return update first (the pointers
    /// <c>~r|{tab}|…</c> are written with each order's row). Null when the continuation is not one this returned for the tab.
    /// </summary>
    public Task<OrderListPage?> ListReturnsAsync(string shopId, string tab, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var prefix = OrderIndexEntity.ReturnPrefix(tab);
        return ScanAsync(shopId, prefix, OrderPartition.End(prefix), continuation, pageSize, _ => true, row => row.ReturnTab == tab, cancellationToken);
    }

    /// <summary>The Returns view's tab counts: keys only, like the order tabs'.</summary>
    public Task<Dictionary<string, int>> CountByReturnTabAsync(string shopId, IReadOnlyList<string> tabs, CancellationToken cancellationToken) =>
        index.CountByReturnTabAsync(shopId, tabs, cancellationToken);

    /// <summary>
    /// Pointers in [from, until) after the continuation, then their order rows; a row that no longer belongs (its pointer is
    /// stale) is skipped and its pointer deleted.
    /// </summary>
    private async Task<OrderListPage?> ScanAsync(
        string shopId, string from, string until, string? continuation, int pageSize, Func<OrderIndexEntity, bool> matches, Func<OrderEntity, bool> belongs,
        CancellationToken cancellationToken)
    {
        var after = DecodeContinuation(continuation);
        if (continuation is not null
            && (after is null || string.CompareOrdinal(after, from) < 0 || string.CompareOrdinal(after, until) >= 0))
        {
            return null;
        }

        var rows = new List<OrderEntity>();
        var scanned = 0;
        string? lastKey = null;
        var exhausted = false;
        while (rows.Count < pageSize && scanned < MaxScan)
        {
            var extra = after is null ? null : Azure.Data.Tables.TableClient.CreateQueryFilter($"RowKey gt {after}");
            var (pointers, _) = await index.PageAsync(shopId, from, until, extra, null, PointersPerRead, cancellationToken);
            if (pointers.Count == 0)
            {
                exhausted = true;
                break;
            }

            foreach (var pointer in pointers)
            {
                scanned++;
                lastKey = pointer.RowKey;
                if (!matches(pointer))
                {
                    continue;
                }

                var row = await orders.GetAsync(shopId, pointer.OrderId, cancellationToken);
                if (row is null || !belongs(row))
                {
                    if (row is not null)
                    {
                        await index.RemoveStaleAsync(shopId, pointer.RowKey, cancellationToken);
                    }

                    continue;
                }

                rows.Add(row);
                if (rows.Count == pageSize)
                {
                    break;
                }
            }

            after = lastKey;
            if (pointers.Count < PointersPerRead && rows.Count < pageSize)
            {
                exhausted = true;
                break;
            }
        }

        return new OrderListPage(rows, exhausted || lastKey is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey)));
    }

    /// <summary>The status tabs' counts.</summary>
    public Task<Dictionary<string, int>> CountByStatusAsync(string shopId, CancellationToken cancellationToken) =>
        index.CountByStatusAsync(shopId, cancellationToken);

    private static string? DecodeContinuation(string? continuation)
    {
        if (continuation is null)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(continuation));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
