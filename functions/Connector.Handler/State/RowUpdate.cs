using System.Diagnostics.CodeAnalysis;

namespace Connector.State;

/// <summary>How a <see cref="ConditionalUpdate"/> ended.</summary>
public enum RowUpdateStatus
{
    /// <summary>The change was written; <see cref="RowUpdate{TRow}.Row"/> is the row as stored (with its new ETag).</summary>
    Written,

    /// <summary>The change said there was nothing to write; <see cref="RowUpdate{TRow}.Row"/> is the row as read.</summary>
    Unchanged,

    /// <summary>There is no such row.</summary>
    NotFound,

    /// <summary>Every attempt lost its race to another writer: nothing was written.</summary>
    Contended,
}

/// <summary>The one result of a conditional update. Not a bool on purpose: losing every race must be handled, not ignored.</summary>
public sealed record RowUpdate<TRow>
    where TRow : class
{
    private RowUpdate(RowUpdateStatus status, TRow? row, int attempts) => (Status, Row, Attempts) = (status, row, attempts);

    public RowUpdateStatus Status { get; }

    /// <summary>The row when <see cref="Status"/> is Written or Unchanged; null otherwise.</summary>
    public TRow? Row { get; }

    /// <summary>Write attempts made (a read-only ending counts the attempt it happened in).</summary>
    public int Attempts { get; }

    [MemberNotNullWhen(true, nameof(Row))]
    public bool IsWritten => Status == RowUpdateStatus.Written;

    [MemberNotNullWhen(true, nameof(Row))]
    public bool IsUnchanged => Status == RowUpdateStatus.Unchanged;

    /// <summary>For queue work: losing every race means "try again later" (a transient failure), never a silent success.</summary>
    public RowUpdate<TRow> ThrowIfContended(string what) =>
        Status == RowUpdateStatus.Contended ? throw new StateContendedException(what, Attempts) : this;

#pragma warning disable CA1000 // Factories belong with the type they make.
    public static RowUpdate<TRow> Written(TRow row, int attempts) => new(RowUpdateStatus.Written, row, attempts);

    public static RowUpdate<TRow> Unchanged(TRow row, int attempts) => new(RowUpdateStatus.Unchanged, row, attempts);

    public static RowUpdate<TRow> NotFound(int attempts) => new(RowUpdateStatus.NotFound, null, attempts);

    public static RowUpdate<TRow> Contended(int attempts) => new(RowUpdateStatus.Contended, null, attempts);
#pragma warning restore CA1000
}
