using System.Globalization;

/// <summary>
/// Issue 12 item 5: every bench section adds its headline figures here, each next to the limit it is measured against;
/// the run ends with them in one table (Markdown, so the README can show it as printed).
/// </summary>
internal static class Figures
{
    private static readonly List<(string Figure, string Value, string Limit, bool? Met)> Rows = [];

    /// <summary>One figure; <paramref name="met"/> null when there is no limit, only a figure to watch.</summary>
    public static void Add(string figure, string value, string limit, bool? met) => Rows.Add((figure, value, limit, met));

    public static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static void Print()
    {
        if (Rows.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| figure | measured | limit | |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (figure, value, limit, met) in Rows)
        {
            Console.WriteLine($"| {figure} | {value} | {limit} | {(met is null ? "" : met.Value ? "met" : "**NOT met**")} |");
        }
    }
}
