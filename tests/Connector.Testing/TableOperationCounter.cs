using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Connector.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Testing;

/// <summary>
/// Counts Table Storage operations at the Azure SDK transport: a pipeline policy in the handler's TableServiceClient
/// (<see cref="SandboxOptions.StoragePolicy"/>, per retry, so every HTTP request sent counts). Each request is one
/// operation whatever it carries (an entity group transaction is one), filed by kind ("Orders GET", "Orders BATCH") and
/// by the scope the caller was in (<see cref="Enter"/>), e.g. the handling of one order's message.
/// </summary>
public sealed partial class TableOperationCounter : HttpPipelinePolicy
{
    public const string Unscoped = "other";

    private readonly AsyncLocal<string?> _scope = new();
    private readonly ConcurrentDictionary<(string Scope, string Kind), int> _counts = new();

    /// <summary>Operations from here on, in this async flow, are filed under <paramref name="scope"/>.</summary>
    public IDisposable Enter(string scope)
    {
        var previous = _scope.Value;
        _scope.Value = scope;
        return new Exit(() => _scope.Value = previous);
    }

    public void Reset() => _counts.Clear();

    /// <summary>Counts per kind, for one scope or (null) all of them.</summary>
    public IReadOnlyDictionary<string, int> ByKind(string? scope = null) => _counts
        .Where(c => scope is null || c.Key.Scope == scope)
        .GroupBy(c => c.Key.Kind, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);

    public int Total(string? scope = null) => ByKind(scope).Values.Sum();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _counts.AddOrUpdate((_scope.Value ?? Unscoped, Kind(message.Request)), 1, (_, n) => n + 1);
    }

    private static string Kind(Request request)
    {
        var path = Uri.UnescapeDataString(request.Uri.Path);
        var segment = path[(path.LastIndexOf('/') + 1)..];
        var method = request.Method.Method;
        if (segment == "$batch")
        {
            // The transaction's table: the first sub-request's address inside the multipart body.
            using var body = new MemoryStream();
            request.Content?.WriteTo(body, CancellationToken.None);
            var match = BatchTable().Match(Encoding.UTF8.GetString(body.ToArray()));
            return $"{Table(match.Success ? match.Groups[1].Value : "?")} BATCH";
        }

        var open = segment.IndexOf('(', StringComparison.Ordinal);
        var table = Table(open < 0 ? segment : segment[..open]);
        var verb = method switch
        {
            "GET" when open >= 0 && segment.Contains("PartitionKey=", StringComparison.Ordinal) => "GET",
            "GET" => "QUERY",
            "PATCH" or "MERGE" => "MERGE",
            _ => method,
        };
        return $"{table} {verb}";
    }

    /// <summary>The state table's name without the sandbox's per-run prefix (TestSandbox.TablePrefix).</summary>
    private static string Table(string name) => SandboxPrefix().Replace(name, "");

    [GeneratedRegex("^t[0-9a-f]{10}(?=[A-Z])")]
    private static partial Regex SandboxPrefix();

    [GeneratedRegex(@"(?:POST|PUT|PATCH|MERGE|DELETE|GET) \S*?/([A-Za-z0-9]+)(?:\(|\?|\s)")]
    private static partial Regex BatchTable();

    private sealed class Exit(Action exit) : IDisposable
    {
        public void Dispose() => exit();
    }
}

/// <summary>Files the Table operations of each message's handling under a scope: the order's own message, or the store scan.</summary>
public static class CountedWork
{
    public const string OrderMessage = "order message";
    public const string StoreScan = "store scan";

    /// <summary>Wraps the handler's own handlers (the last registration is the one resolved).</summary>
    public static void Register(WebApplicationBuilder builder, TableOperationCounter counter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Add<OrderWork, Connector.Orders.Work.OrderWorkHandler>(builder, counter, OrderMessage);
        Add<StoreScanJob, Connector.Orders.Work.StoreScanJobHandler>(builder, counter, StoreScan);
        Add<StoreChangeWork, Connector.Orders.Work.StoreChangeWorkHandler>(builder, counter, StoreScan);
    }

    private static void Add<TMessage, THandler>(WebApplicationBuilder builder, TableOperationCounter counter, string scope)
        where TMessage : QueueMessage
        where THandler : IQueueWorkHandler<TMessage> =>
        builder.Services.AddTransient<IQueueWorkHandler<TMessage>>(sp => new Scoped<TMessage>(counter, scope, ActivatorUtilities.CreateInstance<THandler>(sp)));

    private sealed class Scoped<TMessage>(TableOperationCounter counter, string scope, IQueueWorkHandler<TMessage> inner) : IQueueWorkHandler<TMessage>
        where TMessage : QueueMessage
    {
        public bool Reschedules => inner.Reschedules;

        public async Task<WorkOutcome> HandleAsync(TMessage message, Delivery delivery, CancellationToken cancellationToken)
        {
            using (counter.Enter(scope))
            {
                return await inner.HandleAsync(message, delivery, cancellationToken);
            }
        }

        public Task RecordWaitingAsync(TMessage message, string reason, CancellationToken cancellationToken) =>
            inner.RecordWaitingAsync(message, reason, cancellationToken);
    }
}
