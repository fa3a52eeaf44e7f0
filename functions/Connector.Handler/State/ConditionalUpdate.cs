namespace Connector.State;

/// <summary>
/// The one read-modify-write loop for Table rows: read, apply the change, write with the row's ETag; on a lost race
/// (409/412) read again and re-apply, at most <see cref="MaxAttempts"/> times. No sleeps: the re-read is the back-off.
/// The caller gets one <see cref="RowUpdate{TRow}"/> and must say what each outcome means for it.
/// </summary>
public static class ConditionalUpdate
{
    public const int MaxAttempts = 5;

    /// <summary>Reads the row first, then applies and writes it.</summary>
    public static Task<RowUpdate<TRow>> RunAsync<TRow>(
        Func<CancellationToken, Task<TRow?>> read,
        Func<TRow, RowChange> apply,
        Func<TRow, CancellationToken, Task<bool>> tryWrite,
        CancellationToken cancellationToken)
        where TRow : class =>
        RunAsync(null, read, apply, tryWrite, cancellationToken);

    /// <summary>Starts from a row the caller has already read (no read on the first attempt); reads only after a lost race.</summary>
    public static async Task<RowUpdate<TRow>> RunAsync<TRow>(
        TRow? current,
        Func<CancellationToken, Task<TRow?>> read,
        Func<TRow, RowChange> apply,
        Func<TRow, CancellationToken, Task<bool>> tryWrite,
        CancellationToken cancellationToken)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(tryWrite);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var row = attempt == 1 && current is not null ? current : await read(cancellationToken);
            if (row is null)
            {
                return RowUpdate<TRow>.NotFound(attempt);
            }

            if (apply(row) == RowChange.None)
            {
                return RowUpdate<TRow>.Unchanged(row, attempt);
            }

            if (await tryWrite(row, cancellationToken))
            {
                return RowUpdate<TRow>.Written(row, attempt);
            }
        }

        return RowUpdate<TRow>.Contended(MaxAttempts);
    }
}

/// <summary>What the change function decided about the row it was given.</summary>
public enum RowChange
{
    /// <summary>The row as it is already says what the change would: nothing to write.</summary>
    None,

    /// <summary>The row was changed: write it.</summary>
    Write,
}
