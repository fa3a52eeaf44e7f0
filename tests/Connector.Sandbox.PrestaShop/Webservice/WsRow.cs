using System.Globalization;

namespace Connector.Sandbox.PrestaShop.Webservice;

/// <summary>One database row of a resource: field values as PrestaShop stores and prints them (strings), plus associations.</summary>
internal sealed class WsRow
{
    public WsRow(long id)
    {
        Id = id;
    }

    public long Id { get; set; }

    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<Dictionary<string, string>>> Associations { get; } = new(StringComparer.Ordinal);

    public string this[string field]
    {
        get => field == "id" ? Id.ToString(CultureInfo.InvariantCulture) : Fields.GetValueOrDefault(field, string.Empty);
        set => Fields[field] = value;
    }

    public long Long(string field) => long.TryParse(this[field], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public int Int(string field) => (int)Long(field);

    public decimal Dec(string field) => decimal.TryParse(this[field], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0m;

    public bool Bool(string field) => this[field] == "1";

    public WsRow Clone()
    {
        var copy = new WsRow(Id);
        foreach (var (key, value) in Fields)
        {
            copy.Fields[key] = value;
        }

        foreach (var (key, items) in Associations)
        {
            copy.Associations[key] = [.. items.Select(i => new Dictionary<string, string>(i, StringComparer.Ordinal))];
        }

        return copy;
    }

    public static string Format(decimal value) => value.ToString("0.000000", CultureInfo.InvariantCulture);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(bool value) => value ? "1" : "0";

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

/// <summary>A table with PrestaShop's auto-increment ids.</summary>
internal sealed class WsTable(WsResource resource)
{
    private long _nextId = 1;

    public WsResource Resource { get; } = resource;

    public SortedDictionary<long, WsRow> Rows { get; } = [];

    public WsRow? Find(long id) => Rows.GetValueOrDefault(id);

    public WsRow Insert(WsRow row)
    {
        if (row.Id <= 0)
        {
            row.Id = _nextId;
        }

        _nextId = Math.Max(_nextId, row.Id + 1);
        Rows[row.Id] = row;
        return row;
    }

    /// <summary>A new row with every field at its type default (what ObjectModel stores for a null property).</summary>
    public WsRow NewRow(long id = 0)
    {
        var row = new WsRow(id);
        foreach (var field in Resource.Fields)
        {
            row[field.Name] = field.Default;
        }

        return row;
    }
}
