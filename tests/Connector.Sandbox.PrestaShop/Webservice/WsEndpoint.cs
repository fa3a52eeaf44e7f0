using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Connector.Sandbox.PrestaShop.Webservice;

/// <summary>
/// webservice/dispatcher.php + WebserviceRequest::fetch (store-apis.md §1.1, §1.2): output format, activation (503,
/// code 22), authentication (401, codes 16–21, WWW-Authenticate), resource and method checks (codes 25–27, 101),
/// then GET/HEAD lists and details, POST/PUT/PATCH from an XML body (a JSON body is not XML: 500, code 127), DELETE.
/// </summary>
internal sealed class WsEndpoint(PrestaShopSimulator simulator)
{
    private static readonly string[] Methods = ["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD"];

    private static readonly HashSet<string> ReadOnlyByDefault =
        ["carriers", "configurations", "countries", "currencies", "languages", "order_states", "states", "taxes", "tax_rules", "tax_rule_groups"];

    public async Task HandleAsync(HttpContext context)
    {
        var shopName = (string)context.Request.RouteValues["shopName"]!;
        if (!simulator.TryGetShop(shopName, out var shop))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (shop.TryTakeFault(out var faultStatus))
        {
            context.Response.StatusCode = faultStatus;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<html><body><h1>Service Unavailable</h1></body></html>", context.RequestAborted);
            return;
        }

        var request = context.Request;
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var body = string.Empty;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
            {
                query.TryAdd(key, value.ToString());
            }

            body = form.TryGetValue("xml", out var xml) ? xml.ToString() : string.Empty;
        }
        else
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var method = query.TryGetValue("ps_method", out var overridden) && overridden.Length > 0 ? overridden.ToUpperInvariant() : request.Method;
        var path = (string?)request.RouteValues["path"] ?? string.Empty;
        var json = IsJson(request, query);
        var (outcome, authenticated) = Process(shop, method, path, query, request, body, json);

        var response = context.Response;
        response.Headers["X-Powered-By"] = "PrestaShop Webservice";
        response.Headers["Execution-Time"] = "0.012";
        response.Headers["Access-Time"] = simulator.Options.TimeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (authenticated)
        {
            response.Headers["PSWS-Version"] = shop.Options.Version;
        }

        var (status, contentType, content) = outcome switch
        {
            WsRawOutcome raw => (raw.Status, raw.ContentType, raw.Body),
            WsErrorOutcome error => (error.Status, ContentType(json), WsOutput.Errors(error.Errors, json)),
            WsRowsOutcome rows => (rows.Status, ContentType(json), RenderRows(shop, rows, query, json, method)),
            _ => (500, string.Empty, string.Empty),
        };
        if (outcome is WsErrorOutcome { Status: 401 })
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required.\"";
        }

        if (outcome is WsRowsOutcome && content.Length > 0)
        {
            // 8.x change detection (§1.2): Content-Sha1, and 304 when Local-Content-Sha1 matches.
#pragma warning disable CA5350 // PrestaShop's protocol header is a SHA-1 of the body; nothing is secured by it.
            var sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5350
            response.Headers["Content-Sha1"] = sha1;
            if (request.Headers["Local-Content-Sha1"].ToString() == sha1)
            {
                status = 304;
                content = string.Empty;
            }
        }

        shop.Record(new PsRequestRecord(simulator.Options.TimeProvider.GetUtcNow(), method, request.Path.Value ?? string.Empty,
            Redact(request.QueryString.Value ?? string.Empty, shop.ApiKey), status, body));
        response.StatusCode = status;
        if (contentType.Length > 0)
        {
            response.ContentType = contentType;
        }

        if (method != "HEAD" && content.Length > 0)
        {
            await response.WriteAsync(content, context.RequestAborted);
        }
    }

    /// <summary>
    /// Module front controllers (<c>index.php?fc=module&amp;module=X&amp;controller=Y</c>): Dispatcher loads them only for an
    /// installed, active module, else "Page not found" (404). The only read-only way a real shop shows whether a payment
    /// module is usable without a companion module; a module without front controllers answers 404 even when active.
    /// </summary>
    public Task HandleFrontAsync(HttpContext context)
    {
        var shopName = (string)context.Request.RouteValues["shopName"]!;
        if (!simulator.TryGetShop(shopName, out var shop))
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }

        var q = context.Request.Query;
        if (q["fc"] == "module" && shop.FindModule(q["module"].ToString()) is { Active: true } module
            && module.FrontControllers.Contains(q["controller"].ToString(), StringComparer.OrdinalIgnoreCase))
        {
            // ps_checkpayment's validation controller sends a visitor without a cart back to the checkout.
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = $"{shop.BaseUrl.AbsoluteUri.TrimEnd('/')}/index.php?controller=order&step=1";
            return Task.CompletedTask;
        }

        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync("<!doctype html><html><head><title>404 Page not found</title></head><body><h1>Page not found</h1></body></html>");
    }

    private static (WsOutcome Outcome, bool Authenticated) Process(
        SimPrestaShop shop, string method, string path, Dictionary<string, string> query, HttpRequest request, string body, bool json)
    {
        if (!shop.WebserviceEnabled)
        {
            return (WsErrorOutcome.One(503, 22, "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office"), false);
        }

        var key = ReadKey(shop, request, query);
        if (key is null)
        {
            return (WsErrorOutcome.One(401, 16, "Please enter the authentication key as the login. No password required"), false);
        }

        key = key.Trim();
        if (key.Length == 0)
        {
            return (WsErrorOutcome.One(401, 17, "Authentication key is empty"), false);
        }

        if (key.Length != 32)
        {
            return (WsErrorOutcome.One(401, 18, "Invalid authentication key format"), false);
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(shop.ApiKey)))
        {
            // WebserviceRequest::authenticate sets both errors for an unknown key (the typo is PrestaShop's).
            return (new WsErrorOutcome(401, [(20, "Authentification key is not active"), (21, "No permission for this authentication key")]), false);
        }

        var permissions = Permissions(shop);
        var segments = path.Trim('/').Split('/', StringSplitOptions.None);
        var resourceName = segments[0];
        if (resourceName.Length == 0)
        {
            return method is "GET" or "HEAD"
                ? (new WsRawOutcome(200, ContentType(json), WsOutput.ResourceList(shop.Name, permissions, json, ApiUrl(shop))), true)
                : (WsErrorOutcome.One(405, 23, $"Method {method} is not valid"), true);
        }

        if (!WsResources.RealResourceNames.Contains(resourceName))
        {
            return (WsQuery.DidYouMean(400, 27, $"Resource of type \"{resourceName}\" does not exists", resourceName, WsResources.RealResourceNames), true);
        }

        if (!permissions.TryGetValue(resourceName, out var allowed) || !WsResources.All.TryGetValue(resourceName, out var resource))
        {
            return (WsErrorOutcome.One(401, 26, $"Resource of type \"{resourceName}\" is not allowed with this authentication key"), true);
        }

        if (!Methods.Contains(method))
        {
            return (WsErrorOutcome.One(405, 23, $"Method {method} is not valid"), true);
        }

        if (resource.ForbiddenMethods.Contains(method))
        {
            return (WsErrorOutcome.One(405, 101, $"Method {method} is not allowed for the resource {resourceName}"), true);
        }

        if (!allowed.Contains(method))
        {
            return (WsErrorOutcome.One(405, 25, $"Method {method} is not allowed for the resource {resourceName} with this authentication key"), true);
        }

        var id = segments.Length > 1 ? segments[1] : string.Empty;
        return method switch
        {
            "GET" or "HEAD" => (Get(shop, resource, id, query, json), true),
            "DELETE" => (shop.Delete(resource, DeleteIds(id, query)), true),
            _ => (Write(shop, resource, method, body, query), true),
        };
    }

    private static WsOutcome Get(SimPrestaShop shop, WsResource resource, string id, Dictionary<string, string> query, bool json)
    {
        if (query.TryGetValue("schema", out var schema))
        {
            return schema is "blank" or "synopsis"
                ? new WsRawOutcome(200, ContentType(json), WsOutput.Schema(resource, schema == "synopsis", json))
                : WsErrorOutcome.One(400, 28, "Please select a schema of type 'synopsis' to get the whole schema informations (which fields are required, which kind of content...) or 'blank' to get an empty schema to fill before using POST request");
        }

        var rows = shop.ReadRows(resource);
        if (id.Length > 0)
        {
            if (WsQuery.ParseDisplay(resource, query.GetValueOrDefault("display"), details: true, out _) is { } displayError)
            {
                return displayError;
            }

            var wanted = long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var row = rows.FirstOrDefault(r => r.Id == wanted);

            // getFilteredObjectDetails: an unknown id answers 404 with no body.
            return row is null ? new WsRawOutcome(404, string.Empty, string.Empty) : new WsRowsOutcome(200, resource, [row], Details: true);
        }

        if (WsQuery.Apply(resource, rows, query, out var selected) is { } filterError)
        {
            return filterError;
        }

        if (WsQuery.ParseDisplay(resource, query.GetValueOrDefault("display"), details: false, out _) is { } listDisplayError)
        {
            return listDisplayError;
        }

        return new WsRowsOutcome(200, resource, selected, Details: false);
    }

    private static WsOutcome Write(SimPrestaShop shop, WsResource resource, string method, string body, Dictionary<string, string> query)
    {
        WsEntityInput input;
        try
        {
            input = ParseXml(body);
        }
        catch (XmlException)
        {
            // saveEntityFromXml: new SimpleXMLElement($xml) throws → 500, code 127 (§1.2 "Input must be XML").
            return WsErrorOutcome.One(500, 127, $"XML error : String could not be parsed as XML\nXML length : {Encoding.UTF8.GetByteCount(body)}\nOriginal XML : {body}");
        }

        var sendEmail = query.TryGetValue("sendemail", out var flag) && flag.Length > 0 && flag != "0";
        return shop.Save(method, resource, input, sendEmail);
    }

    private static string RenderRows(SimPrestaShop shop, WsRowsOutcome rows, Dictionary<string, string> query, bool json, string method)
    {
        // Written entities come back in full (returnOutput forces 'full' for PUT/POST/PATCH).
        var displayParam = method is "GET" or "HEAD" ? query.GetValueOrDefault("display") : null;
        WsQuery.ParseDisplay(rows.Resource, displayParam, rows.Details, out var display);
        return WsOutput.Rows(rows, display, json, ApiUrl(shop));
    }

    internal static WsEntityInput ParseXml(string body)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(body), settings);
        var document = XDocument.Load(reader);
        var entity = document.Root?.Elements().FirstOrDefault();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var associations = new Dictionary<string, List<Dictionary<string, string>>>(StringComparer.Ordinal);
        string? id = null;
        if (entity is null)
        {
            return new WsEntityInput(null, fields, associations);
        }

        foreach (var element in entity.Elements())
        {
            var name = element.Name.LocalName;
            if (name == "associations")
            {
                foreach (var association in element.Elements())
                {
                    associations[association.Name.LocalName] = [.. association.Elements().Select(item =>
                        item.Elements().GroupBy(e => e.Name.LocalName).ToDictionary(g => g.Key, g => g.First().Value.Trim(), StringComparer.Ordinal))];
                }

                continue;
            }

            var languages = element.Elements("language").ToList();
            var value = languages.Count > 0
                ? (languages.FirstOrDefault(l => (string?)l.Attribute("id") == "1") ?? languages[0]).Value
                : element.Value;
            if (name == "id")
            {
                id = value.Trim();
                continue;
            }

            fields.TryAdd(name, value.Trim());
        }

        return new WsEntityInput(id, fields, associations);
    }

    private static List<string> DeleteIds(string id, Dictionary<string, string> query)
    {
        if (query.TryGetValue("id", out var list) && WsQuery.BracketPattern().Match(list) is { Success: true } match)
        {
            return [.. match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries)];
        }

        return id.Length > 0 ? [id] : [];
    }

    /// <summary>PHP_AUTH_USER (Basic auth user name) first, then ?ws_key (§1.1). A stripped header leaves only ws_key.</summary>
    private static string? ReadKey(SimPrestaShop shop, HttpRequest request, Dictionary<string, string> query)
    {
        var header = request.Headers.Authorization.ToString();
        if (!shop.StripAuthorizationHeader && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? decoded : decoded[..colon];
            }
            catch (FormatException)
            {
                // PHP leaves PHP_AUTH_USER unset for an undecodable header.
            }
        }

        return query.TryGetValue("ws_key", out var wsKey) ? wsKey : null;
    }

    /// <summary>Io-Format header, Output-Format header, ?output_format, ?io_format — "JSON" exactly, else XML (getOutputObject).</summary>
    private static bool IsJson(HttpRequest request, Dictionary<string, string> query)
    {
        string? type = null;
        if (request.Headers.TryGetValue("Io-Format", out var io))
        {
            type = io.ToString();
        }
        else if (request.Headers.TryGetValue("Output-Format", out var output))
        {
            type = output.ToString();
        }
        else if (query.TryGetValue("output_format", out var outputFormat))
        {
            type = outputFormat;
        }
        else if (query.TryGetValue("io_format", out var ioFormat))
        {
            type = ioFormat;
        }

        return type == "JSON";
    }

    private static Dictionary<string, IReadOnlyList<string>> Permissions(SimPrestaShop shop)
    {
        if (shop.Options.KeyPermissions is { } configured)
        {
            return configured.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }

        return WsResources.All.Keys.ToDictionary(
            name => name,
            name => (IReadOnlyList<string>)(ReadOnlyByDefault.Contains(name) ? ["GET", "HEAD"] : [.. Methods]),
            StringComparer.Ordinal);
    }

    private static string ContentType(bool json) => json ? "application/json" : "text/xml;charset=utf-8";

    private static string ApiUrl(SimPrestaShop shop) => shop.ApiUrl.AbsoluteUri;

    private static string Redact(string queryString, string key) => queryString.Replace(key, "***", StringComparison.Ordinal);
}
