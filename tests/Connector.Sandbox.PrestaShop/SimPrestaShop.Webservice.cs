using System.Globalization;
using Connector.Sandbox.PrestaShop.Webservice;

namespace Connector.Sandbox.PrestaShop;

/// <summary>Generic ObjectModel create/update/delete as WebserviceRequest::saveEntityFromXml does it, plus per-class hooks.</summary>
public sealed partial class SimPrestaShop
{
    /// <summary>Copies of the rows of a resource, with computed associations (products → combinations, stock_availables).</summary>
    internal IReadOnlyList<WsRow> ReadRows(WsResource resource)
    {
        lock (_gate)
        {
            var rows = Table(resource.Plural).Rows.Values.Select(r => r.Clone()).ToList();
            if (resource.Plural == "products")
            {
                foreach (var row in rows)
                {
                    row.Associations["combinations"] = [.. Table("combinations").Rows.Values
                        .Where(c => c.Long("id_product") == row.Id)
                        .Select(c => new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = WsRow.Format(c.Id) })];
                    row.Associations["stock_availables"] = [.. Table("stock_availables").Rows.Values
                        .Where(s => s.Long("id_product") == row.Id)
                        .Select(s => new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = WsRow.Format(s.Id), ["id_product_attribute"] = s["id_product_attribute"] })];
                }
            }

            if (resource.Plural == "configurations")
            {
                foreach (var row in rows.Where(r => r["name"] == "PS_WEBSERVICE"))
                {
                    row["value"] = WsRow.Format(_webserviceEnabled);
                }
            }

            return rows;
        }
    }

    /// <summary>POST / PUT / PATCH of one entity (saveEntityFromXml, error codes 41, 84, 85, 86, 90–93).</summary>
    internal WsOutcome Save(string method, WsResource resource, WsEntityInput input, bool sendEmail)
    {
        lock (_gate)
        {
            var table = Table(resource.Plural);
            if (method == "POST" && !string.IsNullOrEmpty(input.Id))
            {
                return WsErrorOutcome.One(400, 91, "id is forbidden when adding a new resource");
            }

            if (method is "PUT" or "PATCH" && string.IsNullOrEmpty(input.Id))
            {
                return WsErrorOutcome.One(400, 90, "id is required when modifying a resource");
            }

            WsRow? existing = null;
            if (method != "POST")
            {
                existing = table.Find(ParseLong(input.Id));
                if (existing is null)
                {
                    return WsErrorOutcome.One(404, 92, "Invalid ID");
                }
            }

            var row = existing?.Clone() ?? table.NewRow();
            string? postedState = null;
            foreach (var field in resource.Fields)
            {
                var present = input.Fields.TryGetValue(field.Name, out var value);
                if (method == "PATCH" && !present)
                {
                    continue;
                }

                if (field.Lang)
                {
                    row[field.Name] = value ?? string.Empty;
                    continue;
                }

                if (present)
                {
                    if (!field.Writable)
                    {
                        return WsErrorOutcome.One(400, 93, $"parameter \"{field.Name}\" not writable. Please remove this attribute of this XML");
                    }

                    if (resource.Plural == "orders" && field.Name == "current_state")
                    {
                        // 'setter' => 'setWsCurrentState': applied after the update, through OrderHistory (§1.6).
                        postedState = value;
                        continue;
                    }

                    row[field.Name] = value!;
                }
                else if (field.Required)
                {
                    return WsErrorOutcome.One(400, 41, $"parameter \"{field.Name}\" required");
                }
                else
                {
                    // Absent optional fields are set to null, i.e. a PUT is a full replace (§1.2).
                    row[field.Name] = field.Default;
                }
            }

            foreach (var field in resource.Fields.Where(f => f.Lang))
            {
                if (WsValidate.ValidateField(resource.ClassName, field, row[field.Name]) is { } langError)
                {
                    return WsErrorOutcome.One(400, 84, $"Validation error: \"{langError}\"");
                }
            }

            foreach (var field in resource.Fields.Where(f => !f.Lang))
            {
                if (WsValidate.ValidateField(resource.ClassName, field, row[field.Name]) is { } error)
                {
                    return WsErrorOutcome.One(400, 85, $"Validation error: \"{error}\"");
                }
            }

            foreach (var (name, items) in input.Associations)
            {
                var association = resource.Association(name);
                if (association is null)
                {
                    if (name != "i18n")
                    {
                        return WsErrorOutcome.One(400, 86, $"The association \"{name}\" does not exists");
                    }

                    continue;
                }

                if (association.Writable)
                {
                    row.Associations[name] = [.. items.Select(i => new Dictionary<string, string>(i, StringComparer.Ordinal))];
                }
            }

            foreach (var field in resource.Fields.Where(f => f.Type == WsType.Float))
            {
                if (decimal.TryParse(row[field.Name], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    row[field.Name] = WsRow.Format(number);
                }
            }

            var now = Now();
            if (resource.Field("date_upd") is not null)
            {
                row["date_upd"] = now;
            }

            if (method == "POST" && resource.Field("date_add") is not null)
            {
                row["date_add"] = now;
            }

            switch (resource.Plural)
            {
                case "customers":
                    PrepareCustomer(row, existing);
                    break;
                case "carts":
                    PrepareCart(row);
                    break;
            }

            WsOutcome? hook = resource.Plural switch
            {
                "orders" when method == "POST" => ValidateOrderLocked(row),
                "order_histories" when method == "POST" => AddOrderHistoryLocked(row, sendEmail),
                "addresses" => CheckAddress(row),
                _ => null,
            };
            if (hook is not null)
            {
                return hook;
            }

            table.Insert(row);
            if (method == "POST")
            {
                if (resource.Plural == "products")
                {
                    AddStockRow(row.Id, 0, 0);
                }
                else if (resource.Plural == "combinations")
                {
                    AddStockRow(row.Long("id_product"), row.Id, 0);
                }
            }

            if (resource.Plural == "orders" && postedState is not null && ParseLong(postedState) is var stateId && stateId > 0 && stateId != existing!.Long("current_state"))
            {
                // Order::setWsCurrentState → setCurrentState → OrderHistory::changeIdOrderState + addWithemail.
                if (Table("order_states").Find(stateId) is null)
                {
                    return WsErrorOutcome.One(400, 85, "Validation error: \"Property Order->current_state is not valid\"");
                }

                ChangeStateLocked(row, (int)stateId, sendEmail: true, applyStock: true);
            }

            return new WsRowsOutcome(method == "POST" ? 201 : 200, resource, [ReadRow(resource, row.Id)], Details: true);
        }
    }

    /// <summary>DELETE /api/{resource}/{id} or ?id=[1,2] (error 87 for unknown ids).</summary>
    internal WsOutcome Delete(WsResource resource, IReadOnlyList<string> ids)
    {
        lock (_gate)
        {
            var table = Table(resource.Plural);
            var missing = ids.Where(id => table.Find(ParseLong(id)) is null).ToList();
            if (missing.Count > 0 || ids.Count == 0)
            {
                return WsErrorOutcome.One(404, 87, "Id(s) not exists: " + string.Join(", ", missing));
            }

            foreach (var id in ids.Select(ParseLong))
            {
                table.Rows.Remove(id);
                if (resource.Plural == "products")
                {
                    RemoveWhere("combinations", r => r.Long("id_product") == id);
                    RemoveWhere("stock_availables", r => r.Long("id_product") == id);
                }
                else if (resource.Plural == "combinations")
                {
                    RemoveWhere("stock_availables", r => r.Long("id_product_attribute") == id);
                }
            }

            return new WsRawOutcome(200, string.Empty, string.Empty);
        }
    }

    private void RemoveWhere(string plural, Func<WsRow, bool> predicate)
    {
        var table = Table(plural);
        foreach (var id in table.Rows.Values.Where(predicate).Select(r => r.Id).ToList())
        {
            table.Rows.Remove(id);
        }
    }

    private WsRow ReadRow(WsResource resource, long id) => ReadRows(resource).First(r => r.Id == id);

    /// <summary>Customer::add: a new secure_key, the password hashed, the default group (PS_CUSTOMER_GROUP).</summary>
    private void PrepareCustomer(WsRow row, WsRow? existing)
    {
        if (existing is null)
        {
            row["secure_key"] = RandomMd5();
            row["id_shop"] = "1";
            row["id_shop_group"] = "1";
            row["last_passwd_gen"] = Now();
        }
        else if (string.IsNullOrEmpty(row["secure_key"]))
        {
            row["secure_key"] = existing["secure_key"];
        }

        if (existing is null || row["passwd"] != existing["passwd"])
        {
            // Stored as a bcrypt-shaped hash, as PrestaShop does; never printed back in clear.
            row["passwd"] = "$2y$10$" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(row["passwd"])))[..53];
        }

        if (row.Long("id_default_group") == 0)
        {
            row["id_default_group"] = ConfigValue(row.Bool("is_guest") ? "PS_GUEST_GROUP" : "PS_CUSTOMER_GROUP") ?? "3";
        }

        if (row.Long("id_lang") == 0)
        {
            row["id_lang"] = "1";
        }

        if (!row.Associations.ContainsKey("groups"))
        {
            row.Associations["groups"] = [new(StringComparer.Ordinal) { ["id"] = row["id_default_group"] }];
        }
    }

    /// <summary>
    /// Country-dependent address rules [I: the core enforces them in the address form and controllers; the simulator
    /// applies them to webservice writes so a client meets them before validateOrder does]: a state when the country
    /// contains_states, a dni when it needs an identification number, a state that belongs to the country.
    /// </summary>
    private WsErrorOutcome? CheckAddress(WsRow row)
    {
        var country = Table("countries").Find(row.Long("id_country"));
        if (country is null)
        {
            return WsErrorOutcome.One(400, 85, "Validation error: \"Property Address->id_country is not valid\"");
        }

        var stateId = row.Long("id_state");
        if (country.Bool("contains_states") && stateId == 0)
        {
            return WsErrorOutcome.One(400, 85, "Validation error: \"An address located in a country containing states must have a state selected.\"");
        }

        if (stateId != 0 && Table("states").Find(stateId)?.Long("id_country") != country.Id)
        {
            return WsErrorOutcome.One(400, 85, "Validation error: \"Property Address->id_state is not valid\"");
        }

        if (country.Bool("need_identification_number") && string.IsNullOrWhiteSpace(row["dni"]))
        {
            return WsErrorOutcome.One(400, 85, "Validation error: \"The identification number is incorrect or has already been used.\"");
        }

        return null;
    }

    /// <summary>Cart::add: shop ids; cart rows without an address take the cart's delivery address.</summary>
    private static void PrepareCart(WsRow row)
    {
        row["id_shop"] = "1";
        row["id_shop_group"] = "1";
        if (row.Associations.TryGetValue("cart_rows", out var items))
        {
            foreach (var item in items)
            {
                if (ParseLong(item.GetValueOrDefault("id_address_delivery")) == 0)
                {
                    item["id_address_delivery"] = row["id_address_delivery"];
                }

                item.TryAdd("id_product_attribute", "0");
                item.TryAdd("id_customization", "0");
            }
        }
    }
}
