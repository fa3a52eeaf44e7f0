using System.Diagnostics;
using System.Net;
using Connector.Sandbox.Functions.TestHandler;
using Xunit.Abstractions;

namespace Connector.Sandbox.Functions.Tests;

public sealed class StartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_reads_host_json_and_function_folders_and_starts_the_handler_on_FUNCTIONS_CUSTOMHANDLER_PORT()
    {
        using var root = ScriptRoot.Create();
        var log = new LogSink(output);
        var options = root.Options();
        options.Log = log.Write;

        await using var host = await FunctionsHost.StartAsync(options);
        using var handler = new HandlerControl(host.HandlerUrl);
        var env = await handler.EnvironmentAsync();

        var port = host.HandlerUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(port, env["FUNCTIONS_CUSTOMHANDLER_PORT"]);
        Assert.Equal(port, env["FUNCTIONS_HTTPWORKER_PORT"]);
        Assert.True(Guid.TryParse(env["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"], out _));
        Assert.Equal(root.Path, env["FUNCTIONS_APP_ROOT_PATH"]);
        Assert.Equal("hello from settings", env["MySetting"]);
        Assert.Equal(host.ServiceBusConnectionString, env["ServiceBusConnection"]);
        Assert.Equal($"--urls http://127.0.0.1:{port}", env["Args"]); // after "TestHandler.dll"; %FUNCTIONS_CUSTOMHANDLER_PORT% expanded
        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), env["CurrentDirectory"]); // workingDirectory relative to the script root
        Assert.NotNull(host.HandlerProcessId);

        Assert.Matches(
            $"^Endpoint=sb://127\\.0\\.0\\.1:{host.ServiceBusEndpoint.Port}/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=[A-Za-z0-9+/=]{{44}};UseDevelopmentEmulator=true$",
            host.ServiceBusConnectionString);
        Assert.Equal(
            ["App", "FetchOrdersTimer", "GetOrder", "OrderSummary", "ProcessOrderMessage", "TikTokWebhook"],
            host.Functions.Select(f => f.Name));
        var processor = host.Functions.Single(f => f.Name == "ProcessOrderMessage");
        Assert.Equal(("serviceBusTrigger", "msg", "orders"), (processor.TriggerType, processor.TriggerBindingName, processor.QueueName));
        Assert.Contains("\"queueName\":\"orders\"", processor.BindingsJson, StringComparison.Ordinal);
        Assert.Equal("0 0 0 1 1 *", host.Functions.Single(f => f.Name == "FetchOrdersTimer").Schedule);
        var getOrder = host.Functions.Single(f => f.Name == "GetOrder");
        Assert.Equal(("orders/{orderId}", "function", true), (getOrder.Route, getOrder.AuthLevel, getOrder.IsProxied));
        Assert.Equal(["GET"], getOrder.Methods);
        Assert.Equal(4, host.HostConfiguration.MaxConcurrentCalls);
        Assert.Equal(TimeSpan.FromSeconds(20), host.HostConfiguration.FunctionTimeout);
        Assert.Equal("orders", host.GetQueue("ORDERS").Name);
        // The handler's stdout is piped to Log (read asynchronously, so the line may trail readiness a little).
        for (var i = 0; i < 100 && !log.Lines.Any(l => l.Contains("TestHandler listening on", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains(log.Lines, l => l.Contains("TestHandler listening on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_setting_missing_from_Settings_fails_start_up_with_its_name()
    {
        using var root = ScriptRoot.Create();
        var options = root.Options(output);
        options.Settings.Remove("OrdersQueueName");

        var error = await Assert.ThrowsAsync<FunctionsHostStartupException>(() => FunctionsHost.StartAsync(options));

        Assert.Contains("'OrdersQueueName'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ProcessOrderMessage/function.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_host_json_fails_start_up()
    {
        using var root = ScriptRoot.Create();
        File.Delete(Path.Combine(root.Path, "host.json"));

        var error = await Assert.ThrowsAsync<FunctionsHostStartupException>(() => FunctionsHost.StartAsync(root.Options(output)));

        Assert.Contains("host.json not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_that_exits_fails_start_up_with_its_exit_code_and_output()
    {
        using var root = ScriptRoot.Create();
        root.WriteHostJson(root.DefaultHostJson(extraArguments: ", \"--exit-with\", \"3\""));

        var error = await Assert.ThrowsAsync<FunctionsHostStartupException>(() => FunctionsHost.StartAsync(root.Options(output)));

        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("TestHandler: boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_whose_port_was_taken_before_it_bound_is_started_again_on_another_port()
    {
        using var root = ScriptRoot.Create();
        var marker = Path.Combine(root.Path, "first-start");
        root.WriteHostJson(root.DefaultHostJson(extraArguments: $", \"--port-taken-once\", \"{marker}\""));
        var log = new LogSink(output);
        var options = root.Options();
        options.Log = log.Write;

        await using var host = await FunctionsHost.StartAsync(options);
        await host.TriggerTimerAsync("FetchOrdersTimer");

        Assert.True(File.Exists(marker));
        Assert.Contains(log.Lines, l => l.Contains("was taken before the handler bound it (attempt 1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handler_that_never_answers_fails_start_up_after_the_startup_timeout()
    {
        using var root = ScriptRoot.Create();
        root.WriteHostJson(root.DefaultHostJson(extraArguments: ", \"--no-listen\""));
        var options = root.Options(output);
        options.HandlerStartupTimeout = TimeSpan.FromSeconds(6); // a cold dotnet start on a busy CI machine can take seconds

        var error = await Assert.ThrowsAsync<FunctionsHostStartupException>(() => FunctionsHost.StartAsync(options));

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.Contains("TestHandler: not listening", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_stops_the_handler_process()
    {
        using var root = ScriptRoot.Create();
        var host = await FunctionsHost.StartAsync(root.Options(output));
        using var process = Process.GetProcessById(host.HandlerProcessId!.Value);

        await host.DisposeAsync();

        Assert.True(process.WaitForExit(10_000));
        using var client = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(host.BaseUrl));
    }

    [Fact]
    public async Task HandlerUrl_attaches_to_a_running_handler_without_starting_a_process()
    {
        await using var app = TestHandlerApp.Build([], port: 0);
        await app.StartAsync();
        var handlerUrl = new Uri(app.Urls.First());
        using var root = ScriptRoot.Create();
        root.WriteHostJson("""{ "version": "2.0", "customHandler": { "description": { "defaultExecutablePath": "does-not-exist" }, "enableProxyingHttpRequest": true } }""");
        var options = root.Options(output);
        options.HandlerUrl = handlerUrl;

        await using var host = await FunctionsHost.StartAsync(options);
        using var client = new HttpClient();
        using var response = await client.PostAsync(new Uri(host.BaseUrl, "api/webhooks/tiktok"), new StringContent("{}"));
        await Bus.SendAsync(host, "orders", "{\"id\":1}");
        await host.WaitForIdleAsync(TimeSpan.FromSeconds(15));

        Assert.Null(host.HandlerProcessId);
        Assert.Equal(handlerUrl, host.HandlerUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.GetQueue("orders").Completed);
    }

    [Fact]
    public async Task The_handler_command_can_be_overridden_for_the_repository_layout()
    {
        using var root = ScriptRoot.Create();
        root.WriteHostJson("""{ "version": "2.0", "customHandler": { "description": { "defaultExecutablePath": "Connector.Handler", "arguments": [] }, "enableProxyingHttpRequest": true } }""");
        var options = root.Options(output);
        options.HandlerExecutablePath = "dotnet";
        options.HandlerArguments = ["TestHandler.dll"]; // listens on FUNCTIONS_CUSTOMHANDLER_PORT from its environment
        options.HandlerWorkingDirectory = AppContext.BaseDirectory;

        await using var host = await FunctionsHost.StartAsync(options);
        using var handler = new HandlerControl(host.HandlerUrl);

        Assert.Equal(string.Empty, (await handler.EnvironmentAsync())["Args"]);
        await host.TriggerTimerAsync("FetchOrdersTimer");
    }

    [Fact]
    public async Task The_repositorys_host_json_and_function_folders_load()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Connector.sln")))
        {
            repository = repository.Parent;
        }

        Assert.NotNull(repository);
        await using var app = TestHandlerApp.Build([], port: 0);
        await app.StartAsync();
        var options = new FunctionsHostOptions { ScriptRoot = repository.FullName, HandlerUrl = new Uri(app.Urls.First()), EnableTimers = false, Log = output.WriteLine };
        options.FunctionDirectories.Add("functions");
        options.Settings["OrdersQueueName"] = "orders";
        options.Settings["BulkQueueName"] = "bulk";
        options.Settings["FetchSchedule"] = "0 */5 * * * *";

        await using var host = await FunctionsHost.StartAsync(options);

        Assert.Contains(host.Functions, f => f.Name == "ProcessOrderMessage" && f.QueueName == "orders");
        Assert.Equal(host.Functions.Where(f => f.IsServiceBus).Select(f => f.QueueName!).Order(), host.Queues.Select(q => q.Name).Order());
        Assert.Contains(host.Functions, f => f.Name == "FetchOrdersTimer" && f.Schedule == "0 */5 * * * *");
        Assert.All(host.Functions.Where(f => f.IsHttp), f => Assert.True(f.IsProxied, $"{f.Name} is not HTTP-only, so it would not be proxied (§1.7)"));
        await host.TriggerTimerAsync("FetchOrdersTimer");
    }

    [Fact]
    public async Task FunctionDirectories_are_scanned_for_function_folders_and_the_script_root_is_the_default()
    {
        using var root = ScriptRoot.Create(standardFunctions: false);
        var functions = Path.Combine(root.Path, "functions");
        Directory.CreateDirectory(Path.Combine(functions, "Handler.Project")); // a folder without function.json is not a function
        Directory.CreateDirectory(Path.Combine(functions, "Ping"));
        File.WriteAllText(Path.Combine(functions, "Ping", "function.json"), ScriptRoot.Http("anonymous", "get", "ping"));
        var options = root.Options(output);
        options.FunctionDirectories.Add("functions");

        await using var host = await FunctionsHost.StartAsync(options);

        var ping = Assert.Single(host.Functions);
        Assert.Equal(("Ping", Path.Combine(functions, "Ping")), (ping.Name, ping.Directory));
    }
}
