using Connector.Sandbox.PrestaShop.Webservice;

namespace Connector.Sandbox.PrestaShop;

/// <summary>Fault knobs and catalogue edits for client tests: an overloaded host, a merchant changing tax rates.</summary>
public sealed partial class SimPrestaShop
{
    private int _failNext;
    private int _failStatus = 503;

    /// <summary>The next <paramref name="count"/> webservice requests answer <paramref name="status"/> (a busy shared host) without being processed.</summary>
    public void FailNextRequests(int count, int status = 503)
    {
        lock (_gate)
        {
            _failNext = count;
            _failStatus = status;
        }
    }

    /// <summary>Faults from <see cref="FailNextRequests"/> not yet served.</summary>
    public int PendingFaults
    {
        get
        {
            lock (_gate)
            {
                return _failNext;
            }
        }
    }

    internal bool TryTakeFault(out int status)
    {
        lock (_gate)
        {
            status = _failStatus;
            if (_failNext <= 0)
            {
                return false;
            }

            _failNext--;
            return true;
        }
    }

    /// <summary>Points the tax rule of (<paramref name="taxRulesGroupId"/>, country) at a tax of <paramref name="rate"/> percent, as the back office would.</summary>
    public void SetTaxRate(string countryIsoCode, decimal rate, int taxRulesGroupId = 1)
    {
        lock (_gate)
        {
            var country = Table("countries").Rows.Values.First(c => string.Equals(c["iso_code"], countryIsoCode, StringComparison.OrdinalIgnoreCase));
            var taxes = Table("taxes");
            var tax = taxes.Rows.Values.FirstOrDefault(t => t.Dec("rate") == rate);
            if (tax is null)
            {
                tax = taxes.NewRow();
                tax["rate"] = WsRow.Format(rate);
                tax["active"] = "1";
                tax["name"] = $"Tax {rate.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}%";
                taxes.Insert(tax);
            }

            foreach (var rule in Table("tax_rules").Rows.Values.Where(r => r.Long("id_tax_rules_group") == taxRulesGroupId && r.Long("id_country") == country.Id))
            {
                rule["id_tax"] = WsRow.Format(tax.Id);
            }
        }
    }
}
