using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Connector.Sandbox.Functions;

/// <summary>
/// Matches <c>/{routePrefix}/{route}</c> against the HTTP functions' route templates (ASP.NET Core template syntax:
/// <c>{param}</c>, <c>{param?}</c>, <c>{param:int}</c>, <c>{*catchall}</c>). Among the functions whose template matches
/// and whose <c>methods</c> allow the request's method, the most specific template wins (literal segments before
/// parameters before catch-alls, <see cref="RoutePrecedence"/>). A path that matches only with another method is a 404,
/// as on the real host (its routes are method-constrained, so nothing matches), not a 405.
/// </summary>
internal sealed class HttpFunctionRouter
{
    private readonly List<Entry> _entries;
    private readonly IInlineConstraintResolver _constraints;

    public HttpFunctionRouter(IEnumerable<FunctionDefinition> functions, string routePrefix, IInlineConstraintResolver constraints)
    {
        _constraints = constraints;
        _entries = [];
        foreach (var function in functions.Where(f => f.IsHttp && !f.IsDisabled))
        {
            var text = string.IsNullOrEmpty(routePrefix) ? function.Route! : $"{routePrefix}/{function.Route}";
            RouteTemplate template;
            try
            {
                template = TemplateParser.Parse(text.Trim('/'));
            }
            catch (ArgumentException ex)
            {
                throw new FunctionsHostStartupException($"{function.Name}: route '{function.Route}' is not a valid route template: {ex.Message}", ex);
            }

            var defaults = new RouteValueDictionary();
            foreach (var parameter in template.Parameters.Where(p => p.DefaultValue is not null))
            {
                defaults[parameter.Name!] = parameter.DefaultValue;
            }

            _entries.Add(new Entry(function, template, new TemplateMatcher(template, defaults), RoutePrecedence.ComputeInbound(template)));
        }

        _entries.Sort((a, b) =>
        {
            var byPrecedence = a.Precedence.CompareTo(b.Precedence);
            return byPrecedence != 0 ? byPrecedence : string.CompareOrdinal(a.Template.TemplateText, b.Template.TemplateText);
        });
    }

    public (FunctionDefinition Function, RouteValueDictionary Values)? Match(HttpContext context)
    {
        foreach (var entry in _entries)
        {
            var values = new RouteValueDictionary();
            if (!entry.Matcher.TryMatch(context.Request.Path, values) || !ConstraintsMatch(entry.Template, values, context))
            {
                continue;
            }

            if (entry.Function.Methods.Count == 0 || entry.Function.Methods.Contains(context.Request.Method.ToUpperInvariant()))
            {
                return (entry.Function, values);
            }
        }

        return null;
    }

    private bool ConstraintsMatch(RouteTemplate template, RouteValueDictionary values, HttpContext context)
    {
        foreach (var parameter in template.Parameters)
        {
            foreach (var inline in parameter.InlineConstraints)
            {
                var constraint = _constraints.ResolveConstraint(inline.Constraint)
                    ?? throw new InvalidOperationException($"Unknown route constraint '{inline.Constraint}'.");
                if (!values.ContainsKey(parameter.Name!) && parameter.IsOptional)
                {
                    continue;
                }

                if (!constraint.Match(context, null, parameter.Name!, values, RouteDirection.IncomingRequest))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private sealed record Entry(FunctionDefinition Function, RouteTemplate Template, TemplateMatcher Matcher, decimal Precedence);
}
