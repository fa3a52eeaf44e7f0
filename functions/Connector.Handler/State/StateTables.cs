using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Connector.State;

/// <summary>The state tables, each created on first use (once per process).</summary>
public sealed class StateTables(TableServiceClient service, IOptions<StateOptions> options)
{
    public const string Shops = "Shops";
    public const string Orders = "Orders";
    public const string Cursors = "Cursors";
    public const string SkuMap = "SkuMap";
    public const string Dedupe = "Dedupe";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n, cancellationToken))).Value;

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var client = service.GetTableClient(options.Value.TablePrefix + name);
            await client.CreateIfNotExistsAsync(cancellationToken);
            return client;
        }
        catch
        {
            // Do not cache a failed creation: the next call tries again.
            _tables.TryRemove(name, out _);
            throw;
        }
    }
}
