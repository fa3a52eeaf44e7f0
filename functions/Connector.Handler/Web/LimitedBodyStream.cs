namespace Connector.Web;

/// <summary>
/// A request body that refuses to be read past a route's limit (<see cref="RouteInput.MaxBodyBytes"/>) with
/// <see cref="TooLargeException"/>, which <see cref="EdgeChecks"/> answers with a 413 problem. Kestrel's own limit stays
/// the outer bound (the Functions host's 100 MB).
/// </summary>
public sealed class LimitedBodyStream(Stream inner, long maxBytes) : Stream
{
    private long _read;

    public sealed class TooLargeException() : Exception("The request body is larger than the route accepts.");

    /// <summary>Reads what is left of a refused body, ignoring how it ends.</summary>
    public static async Task DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var source = body is LimitedBodyStream limited ? limited._inner : body;
        var buffer = new byte[64 * 1024];
        try
        {
            while (await source.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // The caller went away or exceeded the outer limit: nothing more to read.
        }
    }

    private readonly Stream _inner = inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await _inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        return _read > maxBytes ? throw new TooLargeException() : read;
    }
}
