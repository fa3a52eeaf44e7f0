using System.Globalization;
using System.Text;

namespace Connector.Sandbox.Shopify.GraphQL;

internal sealed record SearchTerm(string? Field, string Value, string Comparator, bool Negated);

/// <summary>
/// Shopify's search syntax as used in the <c>query:</c> argument (https://shopify.dev/docs/api/usage/search-syntax):
/// space-separated terms are ANDed, <c>OR</c> separates alternatives, <c>-term</c> / <c>NOT term</c> negate,
/// <c>field:value</c>, <c>field:"quoted value"</c>, <c>field:&gt;=value</c>. Parentheses are not supported (ignored).
/// Terms on fields the resource does not know are ignored and reported as a warning under <c>extensions.search</c>,
/// as Shopify does, so a mistyped filter silently widens the search: clients must check what comes back.
/// </summary>
internal sealed class SearchQuery
{
    private SearchQuery(IReadOnlyList<IReadOnlyList<SearchTerm>> alternatives) => Alternatives = alternatives;

    /// <summary>OR of ANDs.</summary>
    public IReadOnlyList<IReadOnlyList<SearchTerm>> Alternatives { get; }

    public static SearchQuery Parse(string? query)
    {
        var alternatives = new List<IReadOnlyList<SearchTerm>>();
        var current = new List<SearchTerm>();
        var negateNext = false;
        var text = query ?? string.Empty;
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]) || text[i] is '(' or ')')
            {
                i++;
                continue;
            }

            var negated = negateNext;
            negateNext = false;
            if (text[i] == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
            {
                negated = true;
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
            {
                i++;
            }

            if (i < text.Length && text[i] == ':' && i > start)
            {
                var field = text[start..i].ToLowerInvariant();
                i++;
                var comparator = ":";
                foreach (var op in new[] { ">=", "<=", ">", "<" })
                {
                    if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
                    {
                        comparator = op;
                        i += op.Length;
                        break;
                    }
                }

                current.Add(new SearchTerm(field, ReadValue(text, ref i), comparator, negated));
                continue;
            }

            i = start;
            var word = ReadValue(text, ref i);
            switch (word)
            {
                case "AND":
                    break;
                case "OR":
                    if (current.Count > 0)
                    {
                        alternatives.Add(current);
                        current = [];
                    }

                    break;
                case "NOT":
                    negateNext = true;
                    break;
                default:
                    if (word.Length > 0)
                    {
                        current.Add(new SearchTerm(null, word, ":", negated));
                    }

                    break;
            }
        }

        if (current.Count > 0 || alternatives.Count == 0)
        {
            alternatives.Add(current);
        }

        return new SearchQuery(alternatives);
    }

    private static string ReadValue(string text, ref int i)
    {
        if (i < text.Length && text[i] is '"' or '\'')
        {
            var quote = text[i++];
            var builder = new StringBuilder();
            while (i < text.Length && text[i] != quote)
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                }

                builder.Append(text[i++]);
            }

            i++;
            return builder.ToString();
        }

        var start = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != ')')
        {
            i++;
        }

        return text[start..i];
    }

    /// <summary>Applies the query. <paramref name="match"/> returns null for a field it does not support: such terms are ignored.</summary>
    public bool Matches<T>(T item, Func<T, SearchTerm, bool?> match)
    {
        foreach (var alternative in Alternatives)
        {
            var all = true;
            foreach (var term in alternative)
            {
                var result = match(item, term);
                if (result is not null && result.Value == term.Negated)
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Fields used in the query that the resource does not support (reported as search warnings).</summary>
    public IReadOnlyCollection<string> UnknownFields(IReadOnlySet<string> known) =>
        Alternatives.SelectMany(a => a).Where(t => t.Field is not null && !known.Contains(t.Field)).Select(t => t.Field!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public bool IsEmpty => Alternatives.All(a => a.Count == 0);

    /// <summary>
    /// Tokenised SKU match, as Shopify's search index does it (store-apis.md §2.3): equal ignoring case, or the same
    /// alphanumeric tokens ("ABC-1" finds "abc_1" and "ABC 1"). A trailing <c>*</c> is a prefix search, which finds
    /// nothing when the prefix holds punctuation (the community-reported "sku:ABC_DEF-*" pitfall). Exact comparison is
    /// the client's job.
    /// </summary>
    public static bool SkuMatches(string? sku, string term)
    {
        if (sku is null || term.Length == 0)
        {
            return false;
        }

        if (term.EndsWith('*'))
        {
            var prefix = term[..^1];
            return prefix.All(char.IsAsciiLetterOrDigit) && sku.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(sku, term, StringComparison.OrdinalIgnoreCase) || Tokens(sku).SequenceEqual(Tokens(term), StringComparer.Ordinal);
    }

    public static IReadOnlyList<string> Tokens(string text) =>
        text.Split(static c => !char.IsLetterOrDigit(c)).Where(t => t.Length > 0).Select(t => t.ToLowerInvariant()).ToArray();

    public static bool Compare(long actual, SearchTerm term) =>
        long.TryParse(term.Value.Contains('/', StringComparison.Ordinal) ? term.Value[(term.Value.LastIndexOf('/') + 1)..] : term.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var expected)
        && Compare(actual.CompareTo(expected), term.Comparator);

    public static bool Compare(DateTimeOffset actual, SearchTerm term) =>
        InputCoercion.TryParseDateTime(term.Value, out var expected) && Compare(actual.CompareTo(expected), term.Comparator);

    private static bool Compare(int comparison, string comparator) => comparator switch
    {
        ">" => comparison > 0,
        ">=" => comparison >= 0,
        "<" => comparison < 0,
        "<=" => comparison <= 0,
        _ => comparison == 0,
    };
}

internal static class StringSplitExtensions
{
    public static string[] Split(this string text, Func<char, bool> isSeparator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || isSeparator(text[i]))
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        return [.. parts];
    }
}
