using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Connector.Tests.Integration;

/// <summary>
/// Answers 412 to conditional replaces of a shop row whose body contains <see cref="Marker"/>, as if another writer
/// always changed the row first; refuses <see cref="Limit"/> writes, then lets them through.
/// </summary>
internal sealed class RefuseShopWrites(string marker, int limit = int.MaxValue) : StorageFaultPolicy
{
    private int _seen;
    private int _refused;

    public string Marker { get; } = marker;

    public int Limit { get; set; } = limit;

    /// <summary>Off until the test turns it on, so setting the shop up is not disturbed.</summary>
    public bool Enabled { get; set; }

    public int Refused => Volatile.Read(ref _refused);

    protected override void Check(HttpMessage message)
    {
        var request = message.Request;
        if (!Enabled || request.Method != RequestMethod.Put || !request.Uri.Path.Contains("Shops(", StringComparison.Ordinal)
            || !request.Headers.TryGetValue("If-Match", out var ifMatch) || ifMatch == "*" || request.Content is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        if (System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Contains(Marker, StringComparison.Ordinal)
            && Interlocked.Increment(ref _seen) <= Limit)
        {
            Interlocked.Increment(ref _refused);
            throw new RequestFailedException(412, "Injected: the shop row changed since it was read.");
        }
    }
}
