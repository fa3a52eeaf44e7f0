using System.Collections.Concurrent;
using Connector.Sandbox;
using Connector.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Connector.Tests.Browser;

/// <summary>
/// Debian's Chromium (never a browser Playwright downloads) driven by Playwright, on a fresh profile, watching what a
/// merchant's page must never do: load anything from another host, break its Content-Security-Policy, throw.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly ITestOutputHelper _output;

    private PageSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, ITestOutputHelper output)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        _output = output;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <summary>Console errors other than failed HTTP statuses (which tests provoke on purpose), e.g. CSP violations.</summary>
    public ConcurrentQueue<string> ConsoleErrors { get; } = new();

    public ConcurrentQueue<string> PageErrors { get; } = new();

    /// <summary>Requests to any host but the sandbox's loopback address (they are aborted).</summary>
    public ConcurrentQueue<string> ExternalRequests { get; } = new();

    /// <summary>Every /api call the page made (not the page's own files), with its x-functions-key header.</summary>
    public ConcurrentQueue<(string Method, string Url, string? FunctionKey)> ApiCalls { get; } = new();

    public static async Task<PageSession> OpenAsync(TestSandbox sandbox, ITestOutputHelper output, int width = 1366, int height = 900)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"Debian chromium is missing ({ChromiumPath} not found): run ./build.sh setup. The browser tests need it and never download a browser.");
        }

        // The machine is small and shared: give the page time before an expectation fails.
        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });

        // A new context is a fresh, empty profile: no cache, storage or cookies from another test.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var session = new PageSession(playwright, browser, context, page, output);

        var host = sandbox.Host.BaseUrl.Authority;
        await context.RouteAsync("**/*", async route =>
        {
            var uri = new Uri(route.Request.Url);
            if (uri.Scheme is "http" or "https" && uri.Authority != host)
            {
                session.ExternalRequests.Enqueue(route.Request.Url);
                await route.AbortAsync();
                return;
            }

            if (uri.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) && !uri.AbsolutePath.StartsWith("/api/app", StringComparison.Ordinal))
            {
                var headers = await route.Request.AllHeadersAsync();
                session.ApiCalls.Enqueue((route.Request.Method, route.Request.Url, headers.TryGetValue("x-functions-key", out var key) ? key : null));
            }

            await route.ContinueAsync();
        });
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                session.ConsoleErrors.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => session.PageErrors.Enqueue(error);
        return session;
    }

    public static string PageUrl(TestSandbox sandbox, string shopId, string extra = "") =>
        $"{sandbox.Host.BaseUrl}api/app?shopId={Uri.EscapeDataString(shopId)}{extra}";

    /// <summary>Nothing external, no script error, no CSP violation: call at the end of each test.</summary>
    public void AssertClean()
    {
        Assert.True(ExternalRequests.IsEmpty, "The page requested other hosts: " + string.Join(", ", ExternalRequests));
        Assert.True(PageErrors.IsEmpty, "Script errors: " + string.Join(" | ", PageErrors));
        Assert.True(ConsoleErrors.IsEmpty, "Console errors: " + string.Join(" | ", ConsoleErrors));
    }

    /// <summary>
    /// Saves a screenshot under artifacts/screenshots. With <paramref name="alsoDocs"/> it is copied to docs/screenshots
    /// (the README shows it) when that copy is missing or CONNECTOR_UPDATE_SCREENSHOTS=1: the committed pictures are
    /// not rewritten by every test run.
    /// </summary>
    public async Task ScreenshotAsync(string name, bool alsoDocs = false, bool fullPage = true)
    {
        var artifacts = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(artifacts);
        var path = Path.Combine(artifacts, name);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        _output.WriteLine($"screenshot: {path}");
        var docs = Path.Combine(RepositoryPaths.Root, "docs", "screenshots", name);
        if (alsoDocs && (!File.Exists(docs) || Environment.GetEnvironmentVariable("CONNECTOR_UPDATE_SCREENSHOTS") == "1"))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            File.Copy(path, docs, overwrite: true);
            _output.WriteLine($"screenshot copied to {docs}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var error in ConsoleErrors.Concat(PageErrors))
        {
            _output.WriteLine($"browser: {error}");
        }

        await Context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
