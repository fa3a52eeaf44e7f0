using Connector.Functions;
using Connector.State;

namespace Connector.Tests.Unit;

/// <summary>The one read-modify-write loop: written, lost a race then written, unchanged, not found, and giving up loudly.</summary>
public sealed class ConditionalUpdateTests
{
    [Fact]
    public async Task A_change_is_written_on_the_first_try()
    {
        var table = new InMemoryRow(new Counter(0, []));

        var update = await ConditionalUpdate.RunAsync(table.ReadAsync, Add("mine"), table.TryWriteAsync, CancellationToken.None);

        Assert.Equal(RowUpdateStatus.Written, update.Status);
        Assert.True(update.IsWritten);
        Assert.Equal(1, update.Attempts);
        Assert.Equal(["mine"], table.Stored!.Notes);
        Assert.Equal((1, 1), (table.Reads, table.Writes));
    }

    [Fact]
    public async Task A_lost_race_reads_again_and_reapplies_the_change_on_top_of_the_other_writer()
    {
        var table = new InMemoryRow(new Counter(0, [])) { Competitors = ["theirs"] };

        var update = await ConditionalUpdate.RunAsync(table.ReadAsync, Add("mine"), table.TryWriteAsync, CancellationToken.None);

        Assert.Equal(RowUpdateStatus.Written, update.Status);
        Assert.Equal(2, update.Attempts);
        Assert.Equal(["theirs", "mine"], table.Stored!.Notes);
        Assert.Equal(["theirs", "mine"], update.Row!.Notes);
    }

    [Fact]
    public async Task A_change_with_nothing_to_write_writes_nothing()
    {
        var table = new InMemoryRow(new Counter(0, ["mine"]));

        var update = await ConditionalUpdate.RunAsync(table.ReadAsync, Add("mine"), table.TryWriteAsync, CancellationToken.None);

        Assert.Equal(RowUpdateStatus.Unchanged, update.Status);
        Assert.True(update.IsUnchanged);
        Assert.Equal(["mine"], update.Row.Notes);
        Assert.Equal(0, table.Writes);
    }

    [Fact]
    public async Task A_missing_row_is_not_found_and_nothing_is_applied()
    {
        var table = new InMemoryRow(null);
        var applied = 0;

        var update = await ConditionalUpdate.RunAsync(table.ReadAsync, _ => { applied++; return RowChange.Write; }, table.TryWriteAsync, CancellationToken.None);

        Assert.Equal(RowUpdateStatus.NotFound, update.Status);
        Assert.Null(update.Row);
        Assert.Equal((0, 0), (applied, table.Writes));
    }

    [Fact]
    public async Task Losing_every_race_gives_up_after_five_attempts_as_contended_and_never_as_success()
    {
        var table = new InMemoryRow(new Counter(0, [])) { Competitors = ["a", "b", "c", "d", "e", "f"] };

        var update = await ConditionalUpdate.RunAsync(table.ReadAsync, Add("mine"), table.TryWriteAsync, CancellationToken.None);

        Assert.Equal(RowUpdateStatus.Contended, update.Status);
        Assert.False(update.IsWritten);
        Assert.Null(update.Row);
        Assert.Equal(ConditionalUpdate.MaxAttempts, update.Attempts);
        Assert.Equal(5, table.Writes);
        Assert.DoesNotContain("mine", table.Stored!.Notes);

        var error = Assert.Throws<StateContendedException>(() => update.ThrowIfContended("Order 42 (test)"));
        Assert.Contains("Order 42 (test)", error.Message, StringComparison.Ordinal);
        Assert.True(TransientErrors.IsTransient(error), "queue work that gave up is delivered again later");
    }

    [Fact]
    public async Task ThrowIfContended_passes_every_other_outcome_through()
    {
        var table = new InMemoryRow(new Counter(0, []));

        var update = await ConditionalUpdate.RunAsync(table.ReadAsync, Add("mine"), table.TryWriteAsync, CancellationToken.None);

        Assert.Same(update, update.ThrowIfContended("anything"));
    }

    [Fact]
    public async Task A_row_already_read_is_used_for_the_first_attempt_and_read_again_only_after_a_lost_race()
    {
        var table = new InMemoryRow(new Counter(0, []));
        var alreadyRead = (await table.ReadAsync(CancellationToken.None))!;
        table.Competitors = ["theirs"];

        var update = await ConditionalUpdate.RunAsync(alreadyRead, table.ReadAsync, Add("mine"), table.TryWriteAsync, CancellationToken.None);

        Assert.Equal(RowUpdateStatus.Written, update.Status);
        Assert.Equal(2, table.Reads);
        Assert.Equal(["theirs", "mine"], table.Stored!.Notes);
    }

    private static Func<Counter, RowChange> Add(string note) => row =>
    {
        if (row.Notes.Contains(note))
        {
            return RowChange.None;
        }

        row.Notes.Add(note);
        return RowChange.Write;
    };

    /// <summary>A row with a version for an ETag; rows read are copies.</summary>
    private sealed record Counter(int Version, List<string> Notes)
    {
        public Counter Copy() => this with { Notes = [.. Notes] };
    }

    /// <summary>One stored row; each queued competitor writes just before our next write, so that write loses (412).</summary>
    private sealed class InMemoryRow(Counter? stored)
    {
        public Counter? Stored { get; private set; } = stored;

        public List<string> Competitors { get; set; } = [];

        public int Reads { get; private set; }

        public int Writes { get; private set; }

        public Task<Counter?> ReadAsync(CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(Stored?.Copy());
        }

        public Task<bool> TryWriteAsync(Counter row, CancellationToken cancellationToken)
        {
            Writes++;
            if (Competitors.Count > 0)
            {
                Stored = Stored! with { Version = Stored.Version + 1, Notes = [.. Stored.Notes, Competitors[0]] };
                Competitors.RemoveAt(0);
            }

            if (row.Version != Stored!.Version)
            {
                return Task.FromResult(false);
            }

            Stored = row with { Version = row.Version + 1, Notes = [.. row.Notes] };
            return Task.FromResult(true);
        }
    }
}
