using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Connector.Sandbox.TikTok;
using Connector.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Connector.Tests.Browser;

/// <summary>The merchant's order page in a real browser against the whole sandbox (issue "merchant's order page").</summary>
[Collection(BrowserCollection.Name)]
public sealed class OrderPageTests(ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };
    private static readonly PageGetByLabelOptions Exact = new() { Exact = true };
    private static readonly LocatorGetByLabelOptions ExactIn = new() { Exact = true };

    private static SimOrderSpec Order(string customer, string sku, int quantity = 1, decimal price = 9.5m, long? created = null, string status = "AWAITING_SHIPMENT") => new()
    {
        Lines = [new SimLineSpec { SellerSku = sku, Quantity = quantity, SalePrice = price, ProductName = sku.StartsWith("MUG", StringComparison.Ordinal) ? "Ceramic mug" : "Linen tote" }],
        ShippingType = "SELLER",
        Status = status,
        Address = new SimAddressSpec { Name = customer },
        CreateTime = created,
    };

    private static ILocator Rows(IPage page) => page.Locator("#grid-body > tr:not(.lines-row)");

    private static ILocator Row(IPage page, string text) => Rows(page).Filter(new LocatorFilterOptions { HasText = text });

    private static ILocator Tab(IPage page, string label) =>
        page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { NameRegex = new Regex($"^{Regex.Escape(label)}\\b") });

    [Fact]
    public async Task Fetch_Order_shows_new_orders_live_and_tabs_search_and_filters_narrow_the_grid()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-fetch", new { timeZone = "America/New_York" });
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 100));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var alice = sandbox.TikTok.CreateOrder("ui-fetch", Order("Alice Martin", "MUG-1", 2, created: now - 7200));
        sandbox.TikTok.CreateOrder("ui-fetch", Order("Bob Stone", "MUG-1", created: now - 3600));
        sandbox.TikTok.CreateOrder("ui-fetch", Order("Carol Stone", "MUG-UNKNOWN", created: now - 1800));

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-fetch"));
        await Expect(page.Locator("#grid-empty")).ToContainTextAsync("No orders yet");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // Fetch Order: progress text, then the orders appear and get their store order ids without a reload.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Fetch Order" }).ClickAsync();
        await Expect(page.Locator("#fetch-status")).ToBeVisibleAsync();
        await Expect(Row(page, "Alice Martin")).ToBeVisibleAsync(Slow);
        await Expect(Row(page, "Bob Stone")).ToBeVisibleAsync(Slow);
        await Expect(Row(page, "Carol Stone")).ToBeVisibleAsync(Slow);
        await Expect(Row(page, "Alice Martin").Locator("a.store-link")).ToBeVisibleAsync(Slow);
        await Expect(page.Locator("#fetch-status")).ToContainTextAsync("Fetch complete", new LocatorAssertionsToContainTextOptions { Timeout = 90_000 });
        // The end of the run comes from its route (GET /api/orders/fetch/{runId}), with the run's own count.
        await Expect(page.Locator("#fetch-status")).ToContainTextAsync("3 orders checked on TikTok Shop");
        Assert.Contains(session.ApiCalls, call => call.Method == "GET" && call.Url.Contains("/api/orders/fetch/m", StringComparison.Ordinal));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page reloaded.");
        await Expect(Tab(page, "All").Locator(".count")).ToHaveTextAsync("3");
        await Expect(Tab(page, "Awaiting Shipment").Locator(".count")).ToHaveTextAsync("2");
        await Expect(Tab(page, "Failed").Locator(".count")).ToHaveTextAsync("1");

        // Newest first; created date in the shop's time zone (the browser itself runs in UTC).
        var customers = await Rows(page).Locator("td.col-customer").AllInnerTextsAsync();
        Assert.Equal(["Carol Stone", "Bob Stone", "Alice Martin"], customers.Select(c => c.Trim()));
        var created = Row(page, "Alice Martin").Locator("td.col-created time");
        var shown = (await created.InnerTextAsync()).Trim();
        var expected = await page.EvaluateAsync<string>(
            "iso => new Intl.DateTimeFormat(undefined, { timeZone: 'America/New_York', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso))",
            DateTimeOffset.FromUnixTimeSeconds(alice.CreateTime).ToString("O"));
        Assert.Equal(expected, shown);
        await Expect(page.Locator("#orders-tz")).ToHaveTextAsync("Times in America/New_York");

        // The store order id links to the store's admin, in a new tab, without an opener.
        var link = Row(page, "Alice Martin").Locator("a.store-link");
        Assert.Equal("_blank", await link.GetAttributeAsync("target"));
        Assert.Contains("noopener", await link.GetAttributeAsync("rel") ?? "", StringComparison.Ordinal);
        Assert.StartsWith("http", await link.GetAttributeAsync("href") ?? "", StringComparison.Ordinal);

        // Price with currency and quantity of all products; the lines expand.
        await Expect(Row(page, "Alice Martin").Locator("td.col-qty")).ToContainTextAsync("2");
        await Expect(Row(page, "Alice Martin").Locator("td.col-total")).ToContainTextAsync("$");
        var toggle = Row(page, "Alice Martin").Locator("button.qty-toggle");
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("#grid-body tr.lines-row")).ToContainTextAsync("MUG-1");

        // Status tab.
        await Tab(page, "Failed").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Row(page, "Carol Stone")).ToContainTextAsync("Product not found in your store");
        Assert.Contains("status=FAILED", page.Url, StringComparison.Ordinal);

        // Search by customer name, then by order id.
        await Tab(page, "All").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(3);
        await page.GetByLabel("Search orders by customer name or order id").FillAsync("stone");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search", Exact = true }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2);
        await page.GetByLabel("Search orders by customer name or order id").FillAsync(alice.Id);
        await page.GetByLabel("Search orders by customer name or order id").PressAsync("Enter");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Row(page, "Alice Martin")).ToBeVisibleAsync();

        // "More filters" combine with the tab and the search.
        await page.GetByLabel("Search orders by customer name or order id").FillAsync("");
        await page.GetByLabel("Search orders by customer name or order id").PressAsync("Enter");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "More filters" }).ClickAsync();
        await page.GetByLabel("Customer name", Exact).FillAsync("stone");
        await page.GetByLabel("Fulfilled by", Exact).SelectOptionAsync("Seller");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Apply filters" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2);
        await Tab(page, "Awaiting Shipment").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Row(page, "Bob Stone")).ToBeVisibleAsync();
        await page.GetByLabel("Fulfilled by", Exact).SelectOptionAsync("TikTok");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Apply filters" }).ClickAsync();
        await Expect(page.Locator("#grid-empty")).ToContainTextAsync("No orders match");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Clear search and filters" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2);

        // Created-at range: days in the shop's time zone, both ends included; a reversed range is refused.
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(alice.CreateTime), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime);
        static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Created from", Exact).FillAsync(Iso(day.AddDays(-1)));
        await page.GetByLabel("Created to", Exact).FillAsync(Iso(day.AddDays(1)));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Apply filters" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2);
        await Expect(page.Locator("#filters-count")).ToHaveTextAsync("2 active");
        await page.GetByLabel("Created from", Exact).FillAsync(Iso(day.AddDays(2)));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Apply filters" }).ClickAsync();
        await Expect(page.Locator("#f-to-error")).ToContainTextAsync("on or after");
        await page.GetByLabel("Created to", Exact).FillAsync("");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Apply filters" }).ClickAsync();
        await Expect(page.Locator("#grid-empty")).ToContainTextAsync("No orders match");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Clear filters" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(2);

        session.AssertClean();
    }

    [Fact]
    public async Task A_failed_order_shows_its_reason_and_mapping_its_SKU_imports_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-sku");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 100));
        var failing = sandbox.TikTok.CreateOrder("ui-sku", Order("Carol Stone", "MUG-BLUE", 2));
        await sandbox.FetchAndWaitAsync("ui-sku");

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-sku"));
        await Tab(page, "Failed").ClickAsync();
        var row = Row(page, "Carol Stone");
        await Expect(row).ToContainTextAsync("Product not found in your store");
        await Expect(row).ToContainTextAsync("MUG-BLUE");
        await Expect(row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = $"Retry order {failing.Id}" })).ToBeVisibleAsync();

        // The detail dialog: reason in plain words, lines, activity; focus moves into it.
        var open = row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = $"Order {failing.Id}, show details" });
        await open.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("#detail-title")).ToHaveTextAsync($"Order {failing.Id}");
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('order-dialog').contains(document.activeElement)"));
        await Expect(dialog.Locator(".failure")).ToContainTextAsync("SKU not found: MUG-BLUE");
        await Expect(dialog.Locator(".detail-section").Filter(new LocatorFilterOptions { HasText = "Items" })).ToContainTextAsync("MUG-BLUE");
        await Expect(dialog.Locator(".timeline")).ToContainTextAsync("failed");
        await Expect(dialog.Locator("address")).ToContainTextAsync("Carol Stone");

        // Map SKU: prefilled with the failing TikTok SKU; an empty store SKU is refused next to the field.
        await Expect(dialog.GetByLabel("TikTok seller SKU", ExactIn)).ToHaveValueAsync("MUG-BLUE");
        var save = dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save mapping and retry" });
        await save.ClickAsync();
        await Expect(dialog.Locator("#map-store-0-error")).ToBeVisibleAsync();
        await dialog.GetByLabel("Store SKU", ExactIn).FillAsync("MUG-1");
        await save.ClickAsync();
        await Expect(dialog.Locator("#detail-progress")).ToContainTextAsync("Imported: store order", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await Expect(dialog.Locator(".detail-section").First).ToContainTextAsync("#");

        // Esc closes the dialog; the grid shows the store order id and the Failed tab is empty.
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#grid-empty")).ToContainTextAsync("No failed orders", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await Tab(page, "All").ClickAsync();
        await Expect(Row(page, "Carol Stone").Locator("a.store-link")).ToBeVisibleAsync(Slow);
        await Expect(Tab(page, "Failed").Locator(".count")).ToHaveTextAsync("0");

        var mappings = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/ui-sku/sku-mappings");
        Assert.Contains(mappings.EnumerateArray(), m => m.GetProperty("sellerSku").GetString() == "MUG-BLUE" && m.GetProperty("storeSku").GetString() == "MUG-1");
        session.AssertClean();
    }

    [Fact]
    public async Task A_store_shipment_tiktok_cannot_take_is_explained_on_the_order_and_a_good_one_is_listed_as_sent()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-back");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 100));
        var refused = sandbox.TikTok.CreateOrder("ui-back", Order("Dana Reed", "MUG-1"));
        var sent = sandbox.TikTok.CreateOrder("ui-back", Order("Eli Park", "MUG-1"));
        await sandbox.FetchAndWaitAsync("ui-back");
        store.FulfillAsMerchant(store.Orders.Single(o => o.SourceIdentifier == refused.Id).Id, "RM123456785GB", "Royal Mail");
        store.FulfillAsMerchant(store.Orders.Single(o => o.SourceIdentifier == sent.Id).Id, "1Z999AA10123456784", "UPS");
        await sandbox.FetchAndWaitAsync("ui-back"); // the shipments go to TikTok

        // TikTok may stamp the shipment with the next second, which a search ending now leaves out (TestWait.UntilPastAsync).
        await TestWait.UntilPastAsync(sandbox.TikTok.GetOrder(sent.Id).UpdateTime);
        await sandbox.FetchAndWaitAsync("ui-back"); // TikTok's new status comes back

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-back"));
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(Row(page, "Dana Reed")).ToContainTextAsync("Not sent to TikTok");
        await Expect(Row(page, "Eli Park")).Not.ToContainTextAsync("Not sent to TikTok");
        await Row(page, "Dana Reed").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = $"Order {refused.Id}, show details" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not sent to TikTok. Shipment RM123456785GB in Shopify has carrier 'Royal Mail'");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("USPS, UPS, FedEx");
        await page.Keyboard.PressAsync("Escape");

        await Tab(page, "Awaiting Collection").ClickAsync();
        await Row(page, "Eli Park").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = $"Order {sent.Id}, show details" }).ClickAsync();
        await Expect(dialog.Locator(".facts")).ToContainTextAsync("tracking 1Z999AA10123456784 (1 item)");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Expect(dialog.Locator(".timeline")).ToContainTextAsync("sent to TikTok");
        session.AssertClean();
    }

    [Fact]
    public async Task Selected_failed_orders_are_retried_in_bulk()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-bulk");
        sandbox.TikTok.CreateOrder("ui-bulk", Order("Dan Okafor", "TOTE-1"));
        sandbox.TikTok.CreateOrder("ui-bulk", Order("Emma Larsen", "TOTE-1"));
        sandbox.TikTok.CreateOrder("ui-bulk", Order("Farid Haddad", "TOTE-2"));
        await sandbox.FetchAndWaitAsync("ui-bulk");

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-bulk", "#/orders?status=FAILED"));
        await Expect(Rows(page)).ToHaveCountAsync(3);
        var retrySelected = page.Locator("#retry-selected");
        await Expect(retrySelected).ToBeDisabledAsync();

        // The merchant adds the missing product to the store, then retries two of the three orders.
        store.AddProduct("Linen tote", ("TOTE-1", 24m, 100));
        await Row(page, "Dan Okafor").GetByRole(AriaRole.Checkbox).CheckAsync();
        await Row(page, "Emma Larsen").GetByRole(AriaRole.Checkbox).CheckAsync();
        await Expect(retrySelected).ToHaveTextAsync("Retry selected (2)");
        await retrySelected.ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("2 orders queued for retry");
        await Expect(Rows(page)).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 });
        await Expect(Row(page, "Farid Haddad")).ToBeVisibleAsync();
        await Expect(Tab(page, "Failed").Locator(".count")).ToHaveTextAsync("1");

        // "Retry all failed" on the rest, once its product exists too.
        store.AddProduct("Linen tote large", ("TOTE-2", 28m, 100));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Retry all failed" }).ClickAsync();
        await Expect(page.Locator("#grid-empty")).ToContainTextAsync("No failed orders", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        session.AssertClean();
    }

    [Fact]
    public async Task Settings_save_and_show_validation_errors_next_to_the_fields()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("ui-settings", new { timeZone = "Europe/Paris", monthlyOrderLimit = 500 });

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-settings", "#/settings"));
        await Expect(page.GetByLabel("Time zone", Exact)).ToHaveValueAsync("Europe/Paris");
        await Expect(page.GetByLabel("Monthly plan limit (orders)", Exact)).ToHaveValueAsync("500");
        await Expect(page.GetByLabel("Access token", Exact)).ToHaveValueAsync("");
        await Expect(page.GetByLabel("Access token", Exact)).ToHaveAttributeAsync("type", "password");

        // The credential follows the platform: PrestaShop's webservice key, Etsy's approval link (then back to Shopify).
        await Expect(page.GetByLabel("App API secret key (webhooks)", Exact)).ToBeVisibleAsync();
        await Expect(page.Locator("#s-webhook-status")).ToContainTextAsync("Off: give the app's API secret key");
        await page.GetByLabel("Platform", Exact).SelectOptionAsync("prestashop");
        await Expect(page.GetByLabel("Webservice key", Exact)).ToBeVisibleAsync();
        await Expect(page.Locator("#s-webhook-secret")).ToBeHiddenAsync();
        await page.GetByLabel("Platform", Exact).SelectOptionAsync("etsy");
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Connect with Etsy" }))
            .ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/api/shops/ui-settings/etsy/connect$"));
        await Expect(page.Locator("#s-token")).ToBeHiddenAsync();
        await page.GetByLabel("Platform", Exact).SelectOptionAsync("shopify");
        await Expect(page.GetByLabel("Access token", Exact)).ToBeVisibleAsync();

        // A value the browser can check is refused before anything is sent.
        await page.GetByLabel("Order hold period (minutes)", Exact).FillAsync("5000");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#s-hold-error")).ToContainTextAsync("0 to 1440");
        await Expect(page.GetByLabel("Order hold period (minutes)", Exact)).ToHaveAttributeAsync("aria-invalid", "true");

        // A value only the server can judge: its problem `errors` land next to the field and in the summary.
        await page.GetByLabel("Order hold period (minutes)", Exact).FillAsync("60");
        await page.GetByLabel("Time zone", Exact).FillAsync("Mars/Olympus_Mons");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#s-tz-error")).ToContainTextAsync("IANA time zone");
        await Expect(page.GetByLabel("Time zone", Exact)).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#settings-errors")).ToBeFocusedAsync();
        await Expect(page.Locator("#settings-errors")).ToContainTextAsync("Time zone");
        var unchanged = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/ui-settings");
        Assert.Equal("Europe/Paris", unchanged.GetProperty("settings").GetProperty("timeZone").GetString());

        // A good form saves; the stored store token is kept when the write-only field stays empty.
        await page.GetByLabel("Time zone", Exact).FillAsync("America/Chicago");
        await page.GetByLabel("Default buyer email", Exact).FillAsync("orders@example.com");
        await page.GetByLabel("Partial shipping", Exact).UncheckAsync();
        await page.GetByLabel("Send cancellations to TikTok", Exact).UncheckAsync();
        await page.GetByLabel("Cancellation reason sent to TikTok", Exact).SelectOptionAsync("wrong_price");
        await page.GetByLabel("Unpaid", Exact).CheckAsync();
        await page.GetByLabel("Inventory", Exact).SelectOptionAsync("BYPASS");
        await page.GetByLabel("Monthly plan limit (orders)", Exact).FillAsync("1000");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("Settings saved");
        await Expect(page.Locator("#s-tz-error")).ToBeHiddenAsync();
        await Expect(page.Locator("#settings-errors")).ToBeHiddenAsync();

        var shop = await sandbox.Api.GetFromJsonAsync<JsonElement>("/api/shops/ui-settings");
        var settings = shop.GetProperty("settings");
        Assert.Equal("America/Chicago", settings.GetProperty("timeZone").GetString());
        Assert.Equal("orders@example.com", settings.GetProperty("buyerEmail").GetString());
        Assert.Equal(60, settings.GetProperty("orderHoldMinutes").GetInt32());
        Assert.Equal(1000, settings.GetProperty("monthlyOrderLimit").GetInt32());
        Assert.False(settings.GetProperty("partialShipping").GetBoolean());
        Assert.Equal("BYPASS", settings.GetProperty("inventoryBehaviour").GetString());
        Assert.Equal((true, false, "wrong_price"), (settings.GetProperty("shipmentsToTikTok").GetBoolean(),
            settings.GetProperty("cancellationsToTikTok").GetBoolean(), settings.GetProperty("cancelReason").GetString()));
        Assert.Contains("UNPAID", settings.GetProperty("importStatuses").EnumerateArray().Select(s => s.GetString()));
        Assert.True(shop.GetProperty("store").GetProperty("hasAccessToken").GetBoolean());

        // Dates follow the saved time zone.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Orders", Exact = true }).ClickAsync();
        await Expect(page.Locator("#orders-tz")).ToHaveTextAsync("Times in America/Chicago");
        session.AssertClean();
    }

    [Fact]
    public async Task Status_tabs_and_the_order_dialog_work_from_the_keyboard()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-keys");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 100));
        var order = sandbox.TikTok.CreateOrder("ui-keys", Order("Grace Liu", "MUG-1"));
        sandbox.TikTok.CreateOrder("ui-keys", Order("Hugo Moreau", "MUG-1", status: "IN_TRANSIT"));
        sandbox.TikTok.CreateOrder("ui-keys", Order("Ines Garcia", "NOPE-1"));
        await sandbox.FetchAndWaitAsync("ui-keys");

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-keys"));
        await Expect(Rows(page)).ToHaveCountAsync(3);

        // Tab reaches the selected status tab (one tab stop for the whole tablist), with a visible focus ring.
        for (var i = 0; i < 20 && await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('role')") != "tab"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        var all = Tab(page, "All");
        await Expect(all).ToBeFocusedAsync();
        await Expect(page.Locator("[role=tab][tabindex='0']")).ToHaveCountAsync(1);
        var outline = await all.EvaluateAsync<string>("el => getComputedStyle(el).outlineStyle");
        Assert.NotEqual("none", outline);

        // Arrow keys move and select; the grid follows.
        await page.Keyboard.PressAsync("ArrowRight");
        var awaiting = Tab(page, "Awaiting Shipment");
        await Expect(awaiting).ToBeFocusedAsync();
        await Expect(awaiting).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(all).ToHaveAttributeAsync("aria-selected", "false");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Row(page, "Grace Liu")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(Tab(page, "Failed")).ToBeFocusedAsync();
        await Expect(Row(page, "Ines Garcia")).ToBeVisibleAsync();
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(all).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(Tab(page, "Failed")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Home");
        await Expect(all).ToBeFocusedAsync();
        await Expect(Rows(page)).ToHaveCountAsync(3);

        // Tab leaves the tablist into the panel: the search box.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Search orders by customer name or order id")).ToBeFocusedAsync();

        // Enter opens an order, Esc closes it, focus returns to the order.
        var open = Row(page, "Grace Liu").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = $"Order {order.Id}, show details" });
        await open.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-title")).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).Locator(".timeline")).ToContainTextAsync("created in Shopify");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await Expect(open).ToBeFocusedAsync();

        // The navigation is reachable too, and lands on the section's heading.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Dashboard" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Dashboard", Level = 1 })).ToBeFocusedAsync();
        session.AssertClean();
    }

    [Fact]
    public async Task The_function_key_in_the_address_goes_with_every_API_call()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        await sandbox.ConnectShopAsync("ui-key");

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-key", "&code=secret-key-123"));
        await Expect(page.Locator("#grid-empty")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Dashboard" }).ClickAsync();
        await Expect(page.Locator(".dash-health")).ToBeVisibleAsync();

        Assert.True(session.ApiCalls.Count >= 4, $"{session.ApiCalls.Count} API calls");
        Assert.All(session.ApiCalls, call => Assert.Equal("secret-key-123", call.FunctionKey));
        Assert.DoesNotContain(session.ApiCalls, call => call.Url.Contains("secret-key-123", StringComparison.Ordinal));
        session.AssertClean();
    }

    [Fact]
    public async Task Dashboard_and_orders_page_screenshots_at_desktop_and_phone_widths()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("demo-shop", new { timeZone = "Europe/Paris", monthlyOrderLimit = 500 });
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 100));
        store.AddProduct("Linen tote", ("TOTE-1", 24m, 100));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (string Customer, string Sku, int Quantity, string Status)[] orders =
        [
            ("Alice Martin", "MUG-1", 2, "AWAITING_SHIPMENT"),
            ("Bruno Keller", "TOTE-1", 1, "AWAITING_SHIPMENT"),
            ("Chloé Dubois", "MUG-BLUE", 1, "AWAITING_SHIPMENT"),
            ("Dan Okafor", "TOTE-1", 3, "IN_TRANSIT"),
            ("Emma Larsen", "MUG-1", 1, "DELIVERED"),
            ("Farid Haddad", "MUG-1", 1, "AWAITING_COLLECTION"),
            ("Grace Liu", "TOTE-1", 2, "COMPLETED"),
            ("Hugo Moreau", "MUG-1", 1, "CANCELLED"),
        ];
        for (var i = 0; i < orders.Length; i++)
        {
            var (customer, sku, quantity, status) = orders[i];
            sandbox.TikTok.CreateOrder("demo-shop", Order(customer, sku, quantity, sku.StartsWith("MUG", StringComparison.Ordinal) ? 9.5m : 24m, now - (3600 * (orders.Length - i)), status));
        }

        await sandbox.FetchAndWaitAsync("demo-shop");

        await using var session = await PageSession.OpenAsync(sandbox, output, 1366, 900);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "demo-shop"));
        await Expect(Rows(page)).ToHaveCountAsync(orders.Length);
        await Row(page, "Alice Martin").Locator("button.qty-toggle").ClickAsync();
        await Expect(page.Locator("#grid-body tr.lines-row")).ToBeVisibleAsync();
        await page.Mouse.MoveAsync(0, 0);
        await session.ScreenshotAsync("orders.png", alsoDocs: true);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Dashboard" }).ClickAsync();
        var health = page.Locator(".dash-health");
        await Expect(health).ToContainTextAsync("Authorised");
        await Expect(health).ToContainTextAsync("Shopify");
        await Expect(page.Locator(".dash-usage")).ToContainTextAsync("of 500 orders");
        await Expect(page.Locator(".dash-counts")).ToContainTextAsync("Failed");
        await Expect(page.Locator(".dash-activity")).ToContainTextAsync("Fetch run");
        await Expect(page.Locator(".dash-activity")).ToContainTextAsync("created in Shopify");
        await page.Mouse.MoveAsync(0, 0);
        await session.ScreenshotAsync("dashboard.png", alsoDocs: true);

        // A count tile leads to its tab.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Failed: 1 order" }).ClickAsync();
        await Expect(Tab(page, "Failed")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(Row(page, "Chloé Dubois")).ToBeVisibleAsync();
        await Row(page, "Chloé Dubois").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { NameRegex = new Regex("^Map SKU") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).GetByLabel("Store SKU", ExactIn)).ToBeFocusedAsync();
        await session.ScreenshotAsync("order-detail.png", fullPage: false);
        await page.Keyboard.PressAsync("Escape");

        // 360 px: nothing wider than the screen, every tab reachable by scrolling its strip.
        await page.SetViewportSizeAsync(360, 780);
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Orders", Exact = true }).ClickAsync();
        await Tab(page, "All").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(orders.Length);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than a 360px screen.");
        await session.ScreenshotAsync("orders-phone.png", fullPage: false);
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Dashboard" }).ClickAsync();
        await Expect(health).ToBeVisibleAsync();
        overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The dashboard is {overflow}px wider than a 360px screen.");
        session.AssertClean();
    }

    [Fact]
    public async Task Load_more_pages_through_the_grid_with_the_continuation_newest_first()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });
        var (_, store) = await sandbox.ConnectShopAsync("ui-pages");
        store.AddProduct("Ceramic mug", ("MUG-1", 9.5m, 1000));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var created = sandbox.TikTok.CreateOrders("ui-pages", 31, i => Order($"Buyer {i:D2}", "MUG-1", created: now - (600 * (31 - i))));
        await sandbox.FetchAndWaitAsync("ui-pages");

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync(PageSession.PageUrl(sandbox, "ui-pages"));
        await Expect(Rows(page)).ToHaveCountAsync(25);
        await Expect(page.Locator("#grid-shown")).ToHaveTextAsync("Showing 25 of 31 orders.");
        var more = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Load more orders" });
        await more.ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(31);
        await Expect(more).ToBeHiddenAsync();

        var ids = await Rows(page).Locator("td.col-order button").AllInnerTextsAsync();
        Assert.Equal(created.Reverse().Select(o => o.Id), ids.Select(id => id.Trim()));
        session.AssertClean();
    }

    [Fact]
    public async Task Without_a_shop_id_the_page_asks_for_one_and_an_unknown_shop_says_so()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Output = output });

        await using var session = await PageSession.OpenAsync(sandbox, output);
        var page = session.Page;
        await page.GotoAsync($"{sandbox.Host.BaseUrl}api/app");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Open a shop" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Connect your TikTok Shop" }))
            .ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/api/tiktok/authorize$"));
        await page.GetByLabel("Shop id", Exact).FillAsync("no such shop!");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Open" }).ClickAsync();
        await Expect(page.Locator("#noshop-id-error")).ToBeVisibleAsync();
        await page.GetByLabel("Shop id", Exact).FillAsync("ghost-shop");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Open" }).ClickAsync();
        await Expect(page.Locator("#shop-banner")).ToContainTextAsync("\"ghost-shop\" is not connected");
        session.AssertClean();
    }
}
