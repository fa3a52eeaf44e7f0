using Connector.Sandbox.Functions.TestHandler;
using Microsoft.Extensions.Hosting;

// --exit-with N: print to both streams and exit (start-up failure test); --no-listen: never answer (readiness timeout test).
var exitIndex = Array.IndexOf(args, "--exit-with");
if (exitIndex >= 0)
{
    Console.WriteLine("TestHandler: exiting on purpose");
    await Console.Error.WriteLineAsync("TestHandler: boom");
    return int.Parse(args[exitIndex + 1], System.Globalization.CultureInfo.InvariantCulture);
}

if (args.Contains("--no-listen"))
{
    Console.WriteLine("TestHandler: not listening");
    await Task.Delay(Timeout.Infinite);
}

var app = TestHandlerApp.Build(args);
await app.StartAsync();
Console.WriteLine($"TestHandler listening on {string.Join(", ", app.Urls)}");
await app.WaitForShutdownAsync();
return 0;
