using System.Globalization;
using System.Text.RegularExpressions;

namespace Connector.Sandbox.PrestaShop.Webservice;

/// <summary>Which fields to print: everything, only ids (list default), or a list (<c>display=[a,b]</c>).</summary>
internal sealed record WsDisplay(bool Full, IReadOnlyList<string>? Fields, bool Explicit)
{
    public static readonly WsDisplay Minimum = new(false, null, false);
}

/// <summary>
/// The list parameters of WebserviceRequest::manageFilters and SQLUtils::getSQLRetrieveFilter (store-apis.md §1.2):
/// <c>filter[field]=[a|b]</c>, <c>[1,10]</c>, <c>[x]</c>, <c>[x]%</c> / <c>%[x]</c> / <c>%[x]%</c> (SQL LIKE, so <c>_</c>
/// is a wildcard too), <c>&gt;[x]</c>, <c>&lt;[x]</c>, <c>![a|b]</c>; <c>display</c>, <c>sort</c>, <c>limit</c>, <c>date=1</c>.
/// Comparisons follow MySQL's default collation: case-insensitive, trailing spaces ignored.
/// </summary>
internal static partial class WsQuery
{
    public static WsErrorOutcome? ParseDisplay(WsResource resource, string? display, bool details, out WsDisplay result)
    {
        result = details ? new WsDisplay(true, null, false) : WsDisplay.Minimum;
        if (display is null)
        {
            return null;
        }

        if (display == "full")
        {
            result = new WsDisplay(true, null, true);
            return null;
        }

        if (display == "minimum")
        {
            result = new WsDisplay(false, null, true);
            return null;
        }

        var available = string.Join(", ", resource.Fields.Select(f => f.Name).Prepend("id"));
        var match = BracketPattern().Match(display);
        if (!match.Success)
        {
            return WsErrorOutcome.One(400, 36, $"The 'display' syntax is wrong. You can set 'full' or '[field_1,field_2,field_3,...]'. These are available: {available}");
        }

        var fields = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var field in fields)
        {
            if (field != "id" && resource.Field(field) is null)
            {
                return WsErrorOutcome.One(400, 35, $"Unable to display this field \"{field}\". However, these are available: {available}");
            }
        }

        result = new WsDisplay(false, fields, true);
        return null;
    }

    public static WsErrorOutcome? Apply(WsResource resource, IReadOnlyList<WsRow> rows, IReadOnlyDictionary<string, string> query, out List<WsRow> result)
    {
        result = [];
        var dateFilters = query.TryGetValue("date", out var date) && date.Length > 0 && date != "0";
        var available = resource.Fields.Where(f => !f.Lang && (dateFilters || f.Name is not ("date_add" or "date_upd"))).Select(f => f.Name).Prepend("id").ToList();
        var i18n = resource.Fields.Where(f => f.Lang).Select(f => f.Name).ToList();
        var filters = new List<(string Field, string Value)>();
        foreach (var (key, value) in query)
        {
            if (!key.StartsWith("filter[", StringComparison.Ordinal))
            {
                continue;
            }

            var inner = key["filter[".Length..];
            var close = inner.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                continue;
            }

            var field = inner[..close];
            if (field is "sort" or "limit")
            {
                continue;
            }

            var nested = inner[(close + 1)..].StartsWith('[');
            if (!available.Contains(field) && !i18n.Contains(field))
            {
                if (nested)
                {
                    return WsErrorOutcome.One(400, 31, "There is no existing linked table for this resource");
                }

                return DidYouMean(400, 32, "This filter does not exist", field, available);
            }

            if (value.Length == 0)
            {
                return WsErrorOutcome.One(400, 33, $"The filter \"{field}\" is malformed.");
            }

            filters.Add((field, value));
        }

        IEnumerable<WsRow> selected = rows.Where(row => filters.All(f => Matches(resource, row, f.Field, f.Value)));

        if (query.TryGetValue("sort", out var sort) && sort.Length > 0)
        {
            var match = BracketPattern().Match(sort);
            var parts = match.Success ? match.Groups[1].Value.Split(',') : [sort];
            IOrderedEnumerable<WsRow>? ordered = null;
            foreach (var part in parts)
            {
                var at = part.LastIndexOf('_');
                var direction = at < 0 ? string.Empty : part[(at + 1)..].ToUpperInvariant();
                if (at < 0 || direction is not ("ASC" or "DESC"))
                {
                    return WsErrorOutcome.One(400, 37, "The \"sort\" value has to be formed as this example: \"field_ASC\" or '[field_1_DESC,field_2_ASC,field_3_ASC,...]' (\"field\" has to be an available field)");
                }

                var name = part[..at];
                if (!available.Contains(name) && !i18n.Contains(name))
                {
                    return WsErrorOutcome.One(400, 38, $"Unable to filter by this field. However, these are available: {string.Join(", ", available)}, for i18n fields:{string.Join(", ", i18n)}");
                }

                var comparer = Comparer<WsRow>.Create((a, b) => Compare(resource, name, a[name], b[name]));
                ordered = (ordered, direction) switch
                {
                    (null, "ASC") => selected.Order(comparer),
                    (null, _) => selected.OrderDescending(comparer),
                    (_, "ASC") => ordered.ThenBy(r => r, comparer),
                    _ => ordered.ThenByDescending(r => r, comparer),
                };
            }

            selected = ordered ?? selected;
        }

        if (query.TryGetValue("limit", out var limit) && limit.Length > 0)
        {
            var args = limit.Split(',');
            if (args.Length > 2)
            {
                return WsErrorOutcome.One(400, 39, "The \"limit\" value has to be formed as this example: \"5,25\" or \"10\"");
            }

            // "LIMIT X" or "LIMIT offset, count" with (int) casts.
            var first = PhpInt(args[0]);
            selected = args.Length == 1 ? selected.Take(first) : selected.Skip(first).Take(PhpInt(args[1]));
        }

        result = [.. selected];
        return null;
    }

    public static WsErrorOutcome DidYouMean(int status, int code, string label, string value, IReadOnlyList<string> available)
    {
        var closest = available.OrderBy(a => Levenshtein(value, a)).ThenBy(a => a, StringComparer.Ordinal).FirstOrDefault() ?? string.Empty;
        var full = available.Count > 1 ? $" The full list is: \"{string.Join("\", \"", available)}\"" : string.Empty;
        return WsErrorOutcome.One(status, code, $"{label}. Did you mean: \"{closest}\"?{full}");
    }

    private static bool Matches(WsResource resource, WsRow row, string field, string filter)
    {
        var actual = row[field];
        var match = FilterPattern().Match(filter);
        if (!match.Success)
        {
            return Equal(resource, field, actual, filter);
        }

        var (before, inner, after) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        if (before == "%" || after == "%")
        {
            return Like(actual, before + inner + after);
        }

        if (before.Length == 0 && after.Length == 0)
        {
            if (inner.IndexOf('|', StringComparison.Ordinal) > 0)
            {
                return inner.Split('|').Any(v => Equal(resource, field, actual, v));
            }

            var range = RangePattern().Match(inner);
            if (range.Success)
            {
                var bounds = new[] { range.Groups[1].Value, range.Groups[2].Value }.Order(Comparer<string>.Create((a, b) => Compare(resource, field, a, b))).ToArray();
                return Compare(resource, field, actual, bounds[0]) >= 0 && Compare(resource, field, actual, bounds[1]) <= 0;
            }

            return Equal(resource, field, actual, inner);
        }

        return before switch
        {
            ">" => Compare(resource, field, actual, inner) > 0,
            "<" => Compare(resource, field, actual, inner) < 0,
            "!" => inner.Split('|').All(v => !Equal(resource, field, actual, v)),
            _ => true, // SQLUtils adds no condition for any other prefix.
        };
    }

    private static bool Numeric(WsResource resource, string field) =>
        field == "id" || resource.Field(field)?.Type is WsType.Int or WsType.Float or WsType.Bool;

    private static bool Equal(WsResource resource, string field, string actual, string wanted) => Compare(resource, field, actual, wanted) == 0;

    private static int Compare(WsResource resource, string field, string a, string b)
    {
        if (Numeric(resource, field)
            && decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
        {
            return x.CompareTo(y);
        }

        return string.Compare(a.TrimEnd(' '), b.TrimEnd(' '), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>SQL LIKE: % any run, _ any one character, case-insensitive.</summary>
    private static bool Like(string actual, string pattern)
    {
        var regex = "^" + string.Concat(pattern.Select(c => c switch
        {
            '%' => ".*",
            '_' => ".",
            _ => Regex.Escape(c.ToString()),
        })) + "$";
        return Regex.IsMatch(actual, regex, RegexOptions.IgnoreCase | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    private static int PhpInt(string value)
    {
        var digits = new string(value.Trim().TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"^\[(.*)\]$", RegexOptions.Singleline)]
    internal static partial Regex BracketPattern();

    [GeneratedRegex(@"^(.*)\[(.*)\](.*)$", RegexOptions.Singleline)]
    private static partial Regex FilterPattern();

    [GeneratedRegex(@"^([\d\.:\-\s]+),([\d\.:\-\s]+)$")]
    private static partial Regex RangePattern();
}
