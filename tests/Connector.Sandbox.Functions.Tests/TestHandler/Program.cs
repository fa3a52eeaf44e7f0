using Connector.Sandbox.Functions.TestHandler;
using Microsoft.Extensions.Hosting;

// --exit-with N: print to both streams and exit (start-up failure test); --no-listen: never answer (readiness timeout test);
// --port-taken-once FILE: the first start fails as Kestrel does when its port was taken (port retry test).
var exitIndex = Array.IndexOf(args, "--exit-with");
if (exitIndex >= 0)
{
    Console.WriteLine("TestHandler: exiting on purpose");
    await Console.Error.WriteLineAsync("TestHandler: boom");
    return int.Parse(args[exitIndex + 1], System.Globalization.CultureInfo.InvariantCulture);
}

var takenIndex = Array.IndexOf(args, "--port-taken-once");
if (takenIndex >= 0 && !File.Exists(args[takenIndex + 1]))
{
    await File.WriteAllTextAsync(args[takenIndex + 1], "taken");
    await Console.Error.WriteLineAsync(
        $"Unhandled exception. System.IO.IOException: Failed to bind to address http://127.0.0.1:{Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT")}: address already in use.");
    return 134;
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
