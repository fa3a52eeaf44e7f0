using System.Net.Http.Json;
using Connector.Sandbox;
using Connector.Sandbox.Etsy;
using Connector.Sandbox.Functions;
using Connector.Sandbox.Run;
using Connector.Sandbox.Shopify;
using Connector.Sandbox.TikTok;

// ./build.sh run → dotnet run --project tests/Connector.Sandbox -- --app artifacts/functionapp
// Runs the packaged function app the way the Functions host does, against Azurite and the simulators, with demo data.
var app = Arg("--app") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "functionapp");
var port = int.Parse(Arg("--port") ?? "7071", System.Globalization.CultureInfo.InvariantCulture);
var seed = !args.Contains("--no-demo");
if (!File.Exists(Path.Combine(app, "host.json")))
{
    Console.Error.WriteLine($"No function app at {app}: run ./build.sh package first (./build.sh run does).");
    return 2;
}

// The simulators' own start/stop lines are routine: not for the console.
Environment.SetEnvironmentVariable("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Warning");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// `kill`, `docker stop` and systemd send SIGTERM: stop the same orderly way as Ctrl+C (Azurite, the handler, the simulators).
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

// The console shows what a person needs (addresses, warnings, errors); everything goes to the log file.
var logPath = Arg("--log") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "run", $"connector-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
await using var logFile = TextWriter.Synchronized(new StreamWriter(logPath, append: false) { AutoFlush = true });
var verbose = args.Contains("--verbose");
void Log(string line)
{
    logFile.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
    if (verbose || RunLog.IsForPeople(line))
    {
        Console.WriteLine($"  {line}");
    }
}

const string appKey = "sandbox_app_key";
const string appSecret = "sandbox_app_secret";
Console.WriteLine("Starting Azurite (Table Storage)...");
await using var azurite = await AzuriteServer.StartAsync();
await using var tiktok = await TikTokSimulator.StartAsync(new TikTokSimulatorOptions { AppKey = appKey, AppSecret = appSecret, Port = port + 10 });
await using var shopify = await ShopifySimulator.StartAsync(new ShopifySimulatorOptions { Port = port + 11 });
await using var etsy = await EtsySimulator.StartAsync(new EtsySimulatorOptions { Port = port + 12 });
etsy.AddApp(DemoData.EtsyKeystring, DemoData.EtsySharedSecret);

// As in Azure, the merchant routes (authLevel function) need the app's function key: a new one each run, printed below.
var functionKey = Arg("--function-key") ?? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(30))
    .Replace('+', '-').Replace('/', '_').TrimEnd('=');
var options = new FunctionsHostOptions
{
    ScriptRoot = app,
    Port = port,
    ServiceBusPort = port + 1,
    EnableTimers = true,
    RequireFunctionKeys = true,
    FunctionKey = functionKey,
    Log = Log,
};
foreach (var (key, value) in new Dictionary<string, string>
{
    ["AzureWebJobsStorage"] = azurite.ConnectionString,
    ["OrdersQueueName"] = "orders",
    ["BulkQueueName"] = "bulk",
    ["FetchSchedule"] = "0 */1 * * * *",
    ["TikTok__ApiBaseUrl"] = tiktok.BaseUrl.ToString(),
    ["TikTok__AuthBaseUrl"] = tiktok.BaseUrl.ToString(),
    ["TikTok__AppKey"] = appKey,
    ["TikTok__AppSecret"] = appSecret,
    ["Shopify__WebhookBaseUrl"] = $"http://127.0.0.1:{port}/", // the simulator accepts http for loopback
    ["Etsy__Keystring"] = DemoData.EtsyKeystring,
    ["Etsy__SharedSecret"] = DemoData.EtsySharedSecret,
    ["Etsy__ApiBaseUrl"] = etsy.BaseUrl.ToString(),
    ["Stores__AllowLoopback"] = "true", // the store simulators are http://127.0.0.1:port (design §6.1: sandbox only)
    ["Logging__LogLevel__Default"] = "Information",
    ["Logging__LogLevel__Polly"] = "Warning",
    ["Logging__LogLevel__System.Net.Http"] = "Warning",
    ["Logging__Console__FormatterName"] = "simple",
    ["Logging__Console__FormatterOptions__SingleLine"] = "true",
})
{
    options.Settings[key] = value;
}

Console.WriteLine($"Starting the Functions host emulation on http://127.0.0.1:{port} with {app} ...");
await using var host = await FunctionsHost.StartAsync(options, stop.Token);
using var api = new HttpClient { BaseAddress = host.BaseUrl };
api.DefaultRequestHeaders.Add("x-functions-key", functionKey);
var code = Uri.EscapeDataString(functionKey);

if (seed)
{
    Console.WriteLine("Seeding demo data (shop, catalogue, 36 TikTok orders) and pressing Fetch Order...");
    var seeded = await DemoData.SeedAsync(tiktok, shopify, api, stop.Token);
    tiktok.SetWebhookUrl(new Uri(host.BaseUrl, "api/webhooks/tiktok"));
    using var fetch = await api.PostAsJsonAsync("api/orders/fetch", new { shopId = DemoData.ShopId }, stop.Token);
    fetch.EnsureSuccessStatusCode();
    await host.WaitForIdleAsync(TimeSpan.FromSeconds(60), stop.Token);
    DemoData.AfterImport(tiktok, seeded);
    await DemoData.SeedEtsyAsync(tiktok, etsy, api, stop.Token);
    using var etsyFetch = await api.PostAsJsonAsync("api/orders/fetch", new { shopId = DemoData.EtsyShopId }, stop.Token);
    etsyFetch.EnsureSuccessStatusCode();
    await tiktok.WaitForWebhooksIdleAsync(TimeSpan.FromSeconds(60));
    await host.WaitForIdleAsync(TimeSpan.FromSeconds(60), stop.Token);
}

Console.WriteLine($"""

    Connector is running locally.
      Order page          {host.BaseUrl}api/app?shopId={DemoData.ShopId}&code={code}
      Etsy shop's orders  {host.BaseUrl}api/app?shopId={DemoData.EtsyShopId}&code={code}   (ship them from the order dialog: Ship…)
      Orders API          {host.BaseUrl}api/orders?shopId={DemoData.ShopId}&code={code}
      Tab counts          {host.BaseUrl}api/orders/summary?shopId={DemoData.ShopId}&code={code}
      Function key        {functionKey}   (header x-functions-key or ?code=; the merchant routes answer 401 without it)
      TikTok simulator    {tiktok.BaseUrl}_sim/shops/{DemoData.ShopId}   (POST {tiktok.BaseUrl}_sim/shops/{DemoData.ShopId}/orders to add orders)
      Shopify simulator   {shopify.BaseUrl}_sim/stores/demo-store/orders   (POST .../orders/1001/fulfill with trackingNumber + company, or .../cancel, to act as the merchant)
      Service Bus (AMQP)  {host.ServiceBusEndpoint}  queues "orders" (waiting work) and "bulk" (fetch pages, backfills, scans)
    Webhooks from the TikTok simulator reach {host.BaseUrl}api/webhooks/tiktok, the Shopify simulator's reach
    {host.BaseUrl}api/webhooks/shopify/{DemoData.ShopId}; the timer fetches every minute.
    Warnings and errors show here; the full log is in {logPath} (--verbose shows it all here).
    Press Ctrl+C (or send SIGTERM) to stop.
    """);

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    Console.WriteLine("Stopping...");
}

// (the using declarations above stop the host, the handler, the simulators and Azurite, in reverse order)

return 0;

string? Arg(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
