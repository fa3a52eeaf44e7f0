using System.Net;
using System.Text.Json;
using Connector.Sandbox.Functions.TestHandler;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Connector.Sandbox.Functions.Tests;

public sealed class TimerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TriggerTimerAsync_sends_the_timer_payload_and_prints_the_handlers_logs()
    {
        using var root = ScriptRoot.Create();
        var log = new LogSink(output);
        var options = root.Options();
        options.Log = log.Write;
        await using var host = await FunctionsHost.StartAsync(options);
        using var handler = new HandlerControl(host.HandlerUrl);

        await host.TriggerTimerAsync("FetchOrdersTimer");

        var invocation = Assert.Single(await handler.InvocationsOfAsync("FetchOrdersTimer"));
        output.WriteLine(invocation.Body);
        using var payload = JsonDocument.Parse(invocation.Body);
        var timer = payload.RootElement.GetProperty("Data").GetProperty("timer");
        Assert.True(timer.GetProperty("Schedule").GetProperty("AdjustForDST").GetBoolean());
        Assert.False(timer.GetProperty("IsPastDue").GetBoolean());
        var status = timer.GetProperty("ScheduleStatus");
        var next = DateTimeOffset.Parse(status.GetProperty("Next").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new DateTimeOffset(DateTimeOffset.UtcNow.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero), next); // "0 0 0 1 1 *"
        Assert.True(status.TryGetProperty("Last", out _));
        Assert.True(status.TryGetProperty("LastUpdated", out _));
        var sys = payload.RootElement.GetProperty("Metadata").GetProperty("sys");
        Assert.Equal("FetchOrdersTimer", sys.GetProperty("MethodName").GetString());
        Assert.True(DateTimeOffset.TryParse(sys.GetProperty("UtcNow").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Contains(log.Lines, l => l.Contains("FetchOrdersTimer: handled FetchOrdersTimer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_timer_invocation_makes_TriggerTimerAsync_throw()
    {
        using var root = ScriptRoot.Create();
        await using var host = await FunctionsHost.StartAsync(root.Options(output));
        using var handler = new HandlerControl(host.HandlerUrl);
        await handler.ScriptAsync(new Script("FetchOrdersTimer", Responses: [new ScriptedResponse(500, "down"), new ScriptedResponse(200, string.Empty)]));

        var failed = await Assert.ThrowsAsync<FunctionInvocationException>(() => host.TriggerTimerAsync("FetchOrdersTimer"));
        var empty = await Assert.ThrowsAsync<FunctionInvocationException>(() => host.TriggerTimerAsync("FetchOrdersTimer"));
        await host.TriggerTimerAsync("FetchOrdersTimer");

        Assert.Equal((HttpStatusCode.InternalServerError, "down"), (failed.StatusCode, failed.ResponseBody));
        Assert.Contains("empty body", empty.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => host.TriggerTimerAsync("ProcessOrderMessage"));
    }

    [Fact]
    public async Task A_timer_fires_on_its_NCRONTAB_schedule_by_the_TimeProvider()
    {
        using var root = ScriptRoot.Create();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 10, 0, 30, TimeSpan.Zero));
        var options = root.Options(output);
        options.TimeProvider = clock;
        options.Settings["FetchSchedule"] = "0 */5 * * * *";
        await using var host = await FunctionsHost.StartAsync(options);
        using var handler = new HandlerControl(host.HandlerUrl);

        // One second before the first 5-minute mark nothing fires; the mark itself fires once.
        clock.Advance(TimeSpan.FromSeconds(269));
        await Task.Delay(300);
        Assert.Empty(await handler.InvocationsOfAsync("FetchOrdersTimer"));
        clock.Advance(TimeSpan.FromSeconds(1));
        IReadOnlyList<RecordedRequest> invocations = [];
        for (var i = 0; i < 200 && invocations.Count == 0; i++)
        {
            await Task.Delay(25);
            invocations = await handler.InvocationsOfAsync("FetchOrdersTimer");
        }

        var invocation = Assert.Single(invocations);
        using var payload = JsonDocument.Parse(invocation.Body);
        var utcNow = DateTimeOffset.Parse(payload.RootElement.GetProperty("Metadata").GetProperty("sys").GetProperty("UtcNow").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, utcNow.Minute % 5);
        Assert.Equal(new DateTime(2026, 3, 1), utcNow.UtcDateTime.Date);
    }
}
