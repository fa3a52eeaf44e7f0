namespace Connector.State;

/// <summary>
/// A row kept changing under a conditional update until it gave up: nothing was written. Transient — the queue
/// dispatcher delivers or schedules the work again, by which time the other writers are done.
/// </summary>
public sealed class StateContendedException(string what, int attempts)
    : Exception($"{what}: the row kept changing under {attempts} attempts; nothing was written. Try again shortly.")
{
    public string What { get; } = what;

    public int Attempts { get; } = attempts;
}
