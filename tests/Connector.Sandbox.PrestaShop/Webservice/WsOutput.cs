using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.PrestaShop.Webservice;

/// <summary>
/// WebserviceOutputXML / WebserviceOutputJSON (store-apis.md §1.2). XML: <c>&lt;prestashop xmlns:xlink=…&gt;</c>, values in
/// CDATA, ids linked with xlink:href, lang fields as <c>&lt;language id="1"&gt;</c>. JSON: <c>{"order":{…}}</c> for one
/// entity, <c>{"orders":[…]}</c> for a list, the entity id as a number and every other value as a string, a lang field
/// as its plain value (one language), and an empty list as <c>[]</c> (json_encode of an empty PHP array).
/// </summary>
internal static class WsOutput
{
    private const string XmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n";
    private const string XmlTail = "</prestashop>\n";

    public static string Errors(IReadOnlyList<(int Code, string Message)> errors, bool json)
    {
        if (json)
        {
            var array = new JsonArray();
            foreach (var (code, message) in errors)
            {
                array.Add(new JsonObject { ["code"] = code, ["message"] = message });
            }

            return new JsonObject { ["errors"] = array }.ToJsonString();
        }

        var sb = new StringBuilder(XmlHead).Append("<errors>\n");
        foreach (var (code, message) in errors)
        {
            sb.Append("<error>\n<code>").Append(CData(code.ToString(CultureInfo.InvariantCulture))).Append("</code>\n<message>")
                .Append(CData(message)).Append("</message>\n</error>\n");
        }

        return sb.Append("</errors>\n").Append(XmlTail).ToString();
    }

    public static string Rows(WsRowsOutcome outcome, WsDisplay display, bool json, string api)
    {
        var resource = outcome.Resource;
        if (json)
        {
            if (outcome.Details)
            {
                var root = new JsonObject();
                foreach (var row in outcome.Rows)
                {
                    root[resource.Singular] = JsonEntity(resource, row, display);
                }

                return root.ToJsonString();
            }

            if (outcome.Rows.Count == 0)
            {
                return "[]";
            }

            var list = new JsonArray();
            foreach (var row in outcome.Rows)
            {
                list.Add(display.Full || display.Fields is not null ? JsonEntity(resource, row, display) : new JsonObject { ["id"] = row.Id });
            }

            return new JsonObject { [resource.Plural] = list }.ToJsonString();
        }

        var sb = new StringBuilder(XmlHead);
        if (outcome.Details)
        {
            foreach (var row in outcome.Rows)
            {
                XmlEntity(sb, resource, row, display, api);
            }
        }
        else
        {
            sb.Append('<').Append(resource.Plural).Append(">\n");
            foreach (var row in outcome.Rows)
            {
                if (display.Full || display.Fields is not null)
                {
                    XmlEntity(sb, resource, row, display, api);
                }
                else
                {
                    sb.Append('<').Append(resource.Singular).Append(" id=\"").Append(row.Id).Append("\" xlink:href=\"").Append(api).Append(resource.Plural)
                        .Append('/').Append(row.Id).Append("\"/>\n");
                }
            }

            sb.Append("</").Append(resource.Plural).Append(">\n");
        }

        return sb.Append(XmlTail).ToString();
    }

    /// <summary>GET /api/: the resources the key may use, with its permissions per method.</summary>
    public static string ResourceList(string shopName, IReadOnlyDictionary<string, IReadOnlyList<string>> permissions, bool json, string api)
    {
        if (json)
        {
            var names = new JsonArray();
            foreach (var name in permissions.Keys.Order(StringComparer.Ordinal))
            {
                names.Add(name);
            }

            return names.ToJsonString();
        }

        var sb = new StringBuilder(XmlHead).Append("<api shopName=\"").Append(Attr(shopName)).Append("\">\n");
        foreach (var (name, methods) in permissions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var flags = string.Concat(new[] { "GET", "PUT", "POST", "PATCH", "DELETE", "HEAD" }
                .Select(m => $" {m.ToLowerInvariant()}=\"{(methods.Contains(m) ? "true" : "false")}\""));
            var description = WsResources.All.TryGetValue(name, out var resource) ? resource.Description : name;
            sb.Append('<').Append(name).Append(" xlink:href=\"").Append(api).Append(name).Append('"').Append(flags).Append(">\n")
                .Append("<description xlink:href=\"").Append(api).Append(name).Append('"').Append(flags).Append('>').Append(Attr(description)).Append("</description>\n")
                .Append("<schema type=\"blank\" xlink:href=\"").Append(api).Append(name).Append("?schema=blank\"/>\n")
                .Append("<schema type=\"synopsis\" xlink:href=\"").Append(api).Append(name).Append("?schema=synopsis\"/>\n")
                .Append("</").Append(name).Append(">\n");
        }

        return sb.Append("</api>\n").Append(XmlTail).ToString();
    }

    /// <summary>?schema=blank (empty tree to fill for a POST) or ?schema=synopsis (with required/maxSize/format).</summary>
    public static string Schema(WsResource resource, bool synopsis, bool json)
    {
        if (json)
        {
            var entity = new JsonObject { ["id"] = string.Empty };
            foreach (var field in resource.Fields)
            {
                entity[field.Name] = string.Empty;
            }

            return new JsonObject { [resource.Singular] = entity }.ToJsonString();
        }

        var sb = new StringBuilder(XmlHead).Append('<').Append(resource.Singular).Append(">\n\t<id></id>\n");
        foreach (var field in resource.Fields)
        {
            var attributes = string.Empty;
            if (synopsis)
            {
                attributes = (field.Required ? " required=\"true\"" : string.Empty)
                    + (field.Size > 0 ? $" maxSize=\"{field.Size}\"" : string.Empty)
                    + (field.Validate is not null ? $" format=\"{field.Validate}\"" : string.Empty)
                    + (field.Writable ? string.Empty : " read_only=\"true\"");
            }

            sb.Append('\t').Append('<').Append(field.Name).Append(attributes).Append('>');
            if (field.Lang)
            {
                sb.Append("<language id=\"1\"></language>");
            }

            sb.Append("</").Append(field.Name).Append(">\n");
        }

        if (resource.Associations.Count > 0)
        {
            sb.Append("\t<associations>\n");
            foreach (var association in resource.Associations)
            {
                sb.Append("\t\t<").Append(association.Name).Append(" nodeType=\"").Append(association.ItemName).Append("\" api=\"").Append(association.Name).Append("\">\n")
                    .Append("\t\t\t<").Append(association.ItemName).Append(">\n");
                foreach (var field in association.Fields)
                {
                    sb.Append("\t\t\t\t<").Append(field).Append("></").Append(field).Append(">\n");
                }

                sb.Append("\t\t\t</").Append(association.ItemName).Append(">\n\t\t</").Append(association.Name).Append(">\n");
            }

            sb.Append("\t</associations>\n");
        }

        return sb.Append("</").Append(resource.Singular).Append(">\n").Append(XmlTail).ToString();
    }

    private static IEnumerable<string> Selected(WsResource resource, WsDisplay display) =>
        display.Fields ?? resource.Fields.Select(f => f.Name).Prepend("id");

    private static JsonObject JsonEntity(WsResource resource, WsRow row, WsDisplay display)
    {
        var entity = new JsonObject();
        foreach (var name in Selected(resource, display))
        {
            entity[name] = name == "id" ? JsonValue.Create(row.Id) : JsonValue.Create(row[name]);
        }

        if (display.Fields is null && resource.Associations.Count > 0)
        {
            var associations = new JsonObject();
            foreach (var association in resource.Associations)
            {
                if (!row.Associations.TryGetValue(association.Name, out var items) || items.Count == 0)
                {
                    continue;
                }

                var array = new JsonArray();
                foreach (var item in items)
                {
                    var obj = new JsonObject();
                    foreach (var field in association.Fields)
                    {
                        obj[field] = item.GetValueOrDefault(field, string.Empty);
                    }

                    array.Add(obj);
                }

                associations[association.Name] = array;
            }

            if (associations.Count > 0)
            {
                entity["associations"] = associations;
            }
        }

        return entity;
    }

    private static void XmlEntity(StringBuilder sb, WsResource resource, WsRow row, WsDisplay display, string api)
    {
        sb.Append('<').Append(resource.Singular).Append(">\n");
        foreach (var name in Selected(resource, display))
        {
            var field = resource.Field(name);
            var value = row[name];
            sb.Append('\t').Append('<').Append(name);
            if (field?.Xlink is { } target && value.Length > 0 && value != "0")
            {
                sb.Append(" xlink:href=\"").Append(api).Append(target).Append('/').Append(Attr(value)).Append('"');
            }

            sb.Append('>');
            if (field?.Lang == true)
            {
                sb.Append("<language id=\"1\" xlink:href=\"").Append(api).Append("languages/1\">").Append(CData(value)).Append("</language>");
            }
            else
            {
                sb.Append(CData(value));
            }

            sb.Append("</").Append(name).Append(">\n");
        }

        if (display.Fields is null && resource.Associations.Count > 0)
        {
            sb.Append("<associations>\n");
            foreach (var association in resource.Associations)
            {
                var items = row.Associations.GetValueOrDefault(association.Name, []);
                var idOnly = association.Fields.Count == 1 && association.Fields[0] == "id";
                sb.Append('<').Append(association.Name).Append(" nodeType=\"").Append(association.ItemName).Append('"')
                    .Append(idOnly ? $" api=\"{association.Name}\"" : " virtualEntity=\"true\"").Append(">\n");
                foreach (var item in items)
                {
                    sb.Append('<').Append(association.ItemName);
                    if (item.TryGetValue("id", out var itemId) && WsResources.All.ContainsKey(association.Name))
                    {
                        sb.Append(" xlink:href=\"").Append(api).Append(association.Name).Append('/').Append(Attr(itemId)).Append('"');
                    }

                    sb.Append(">\n");
                    foreach (var field in association.Fields)
                    {
                        var value = item.GetValueOrDefault(field, string.Empty);
                        sb.Append('<').Append(field);
                        if (association.Xlinks.TryGetValue(field, out var target) && value.Length > 0 && value != "0")
                        {
                            sb.Append(" xlink:href=\"").Append(api).Append(target).Append('/').Append(Attr(value)).Append('"');
                        }

                        sb.Append('>').Append(CData(value)).Append("</").Append(field).Append(">\n");
                    }

                    sb.Append("</").Append(association.ItemName).Append(">\n");
                }

                sb.Append("</").Append(association.Name).Append(">\n");
            }

            sb.Append("</associations>\n");
        }

        sb.Append("</").Append(resource.Singular).Append(">\n");
    }

    private static string CData(string value) =>
        value.Length == 0 ? string.Empty : "<![CDATA[" + value.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal) + "]]>";

    private static string Attr(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
