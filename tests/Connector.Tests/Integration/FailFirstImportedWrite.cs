using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Connector.Tests.Integration;

/// <summary>Fails the first write that records an order as imported, as if the instance died right after the store answered.</summary>
internal sealed class FailFirstImportedWrite : StorageFaultPolicy
{
    private int _failures;

    public int Failures => _failures;

    protected override void Check(HttpMessage message)
    {
        var request = message.Request;
        // An order's row is saved alone (PUT Orders(...)) or with its pointers and activity in one transaction (POST $batch).
        var rowWrite = request.Method == RequestMethod.Put && request.Uri.Path.Contains("Orders(", StringComparison.Ordinal);
        var transaction = request.Method == RequestMethod.Post && Uri.UnescapeDataString(request.Uri.Path).EndsWith("$batch", StringComparison.Ordinal);
        if (!(rowWrite || transaction) || request.Content is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        var body = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        if (body.Contains("\"ImportState\":\"Imported\"", StringComparison.Ordinal) && Interlocked.CompareExchange(ref _failures, 1, 0) == 0)
        {
            throw new RequestFailedException(503, "Injected: the instance died before the state write.");
        }
    }
}
