using System.Net;
using System.Text.Json;
using Connector.Sandbox.Functions.TestHandler;
using Xunit.Abstractions;

namespace Connector.Sandbox.Functions.Tests;

public sealed class HttpProxyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_http_function_is_proxied_with_the_original_path_query_headers_and_exact_body_bytes()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        var body = new byte[200_000];
        Random.Shared.NextBytes(body);
        body[0] = 0xFF; // not UTF-8
        body[1] = 0x00;
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUrl, "api/webhooks/tiktok?shop=a%2Fb&x=1")) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "0123abcd");
        request.Headers.TryAddWithoutValidation("X-Tts-Event", "ORDER_STATUS_CHANGE");
        using var client = new HttpClient();

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Handler-Echo").Single());
        Assert.Equal("200000", response.Headers.GetValues("X-Handler-Received-Length").Single());
        Assert.Equal("echo POST /api/webhooks/tiktok?shop=a%2Fb&x=1", await response.Content.ReadAsStringAsync());
        var received = Assert.Single(await handler.RequestsAsync(), r => r.Path == "/api/webhooks/tiktok");
        Assert.Equal("/api/webhooks/tiktok?shop=a%2Fb&x=1", received.RawTarget);
        Assert.Equal(Convert.ToBase64String(body), received.BodyBase64);
        Assert.Equal("0123abcd", received.Headers["Authorization"]);
        Assert.Equal("ORDER_STATUS_CHANGE", received.Headers["X-Tts-Event"]);
        Assert.Equal("application/octet-stream", received.Headers["Content-Type"]);
        Assert.True(Guid.TryParse(received.Headers["X-Azure-Functions-InvocationId"], out _));
        Assert.StartsWith("4.", received.Headers["X-Azure-Functions-HostVersion"], StringComparison.Ordinal);
        Assert.StartsWith("Azure-Functions-Host/4.", received.Headers["User-Agent"], StringComparison.Ordinal);
        var record = Assert.Single(host.Invocations, i => i.FunctionName == "TikTokWebhook");
        Assert.True(record.Succeeded);
    }

    [Fact]
    public async Task The_handler_status_and_headers_come_back_unchanged()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var client = new HttpClient();

        using var response = await client.PostAsync(new Uri(host.BaseUrl, "api/webhooks/tiktok?status=401"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("echo POST /api/webhooks/tiktok?status=401", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Literal_segments_win_over_parameters_and_function_keys_are_enforced_when_required()
    {
        using var root = ScriptRoot.Create();
        var options = root.Options(output);
        options.RequireFunctionKeys = true;
        options.FunctionKey = "k3y";
        await using var host = await FunctionsHost.StartAsync(options);
        using var client = new HttpClient();
        async Task<HttpStatusCode> Get(string path, string? key = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseUrl, path));
            if (key is not null)
            {
                request.Headers.Add("x-functions-key", key);
            }

            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get("api/orders/summary"));          // OrderSummary: anonymous literal route
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("api/orders/123"));    // GetOrder: authLevel function
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("api/orders/123", "wrong"));
        Assert.Equal(HttpStatusCode.OK, await Get("api/orders/123", "k3y"));
        Assert.Equal(HttpStatusCode.OK, await Get("api/orders/123?code=k3y"));
    }

    [Fact]
    public async Task Function_keys_are_not_checked_unless_required()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(host.BaseUrl, "api/orders/123"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_are_404_and_catch_all_routes_match_nested_paths()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        using var client = new HttpClient();

        using var unknown = await client.GetAsync(new Uri(host.BaseUrl, "api/nothing/here"));
        using var noPrefix = await client.GetAsync(new Uri(host.BaseUrl, "webhooks/tiktok"));
        using var wrongMethod = await client.GetAsync(new Uri(host.BaseUrl, "api/webhooks/tiktok"));
        using var catchAll = await client.GetAsync(new Uri(host.BaseUrl, "api/app/assets/js/app.js?v=2"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noPrefix.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
        Assert.Equal(HttpStatusCode.OK, catchAll.StatusCode);
        var received = Assert.Single(await handler.RequestsAsync(), r => r.Path.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Equal("/api/app/assets/js/app.js?v=2", received.RawTarget);
    }

    [Fact]
    public async Task Without_proxying_an_http_function_gets_the_json_payload_and_its_http_output_is_the_response()
    {
        using var root = ScriptRoot.Create(standardFunctions: false);
        root.WriteHostJson(root.DefaultHostJson(proxying: false));
        root.AddFunction("Legacy", ScriptRoot.Http("anonymous", "post", "legacy/{id:int}"));
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await handler.ScriptAsync(new Script("Legacy", Always: new ScriptedResponse(Body: """
            {"Outputs":{"res":{"statusCode":"202","body":"accepted","headers":{"X-From":"handler"}}},"Logs":["legacy ran"],"ReturnValue":null}
            """)));
        using var client = new HttpClient();

        using var response = await client.PostAsync(new Uri(host.BaseUrl, "api/legacy/42?q=1"), new StringContent("{\"id\":1005}"));
        using var notInt = await client.PostAsync(new Uri(host.BaseUrl, "api/legacy/abc"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("handler", response.Headers.GetValues("X-From").Single());
        Assert.Equal("accepted", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, notInt.StatusCode); // {id:int} constraint
        var invocation = Assert.Single(await handler.InvocationsOfAsync("Legacy"));
        using var payload = JsonDocument.Parse(invocation.Body);
        var req = payload.RootElement.GetProperty("Data").GetProperty("req");
        Assert.Equal("POST", req.GetProperty("Method").GetString());
        Assert.EndsWith("/api/legacy/42?q=1", req.GetProperty("Url").GetString(), StringComparison.Ordinal);
        Assert.Equal("{\"q\":\"1\"}", req.GetProperty("Query").GetString());
        Assert.Equal("42", req.GetProperty("Params").GetProperty("id").GetString());
        Assert.Equal("{\"id\":1005}", req.GetProperty("Body").GetString());
        Assert.Equal("Legacy", payload.RootElement.GetProperty("Metadata").GetProperty("sys").GetProperty("MethodName").GetString());
    }
}
