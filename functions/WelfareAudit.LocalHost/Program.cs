using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.LocalHost;

var app = LocalHostApp.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"WelfareAudit local host: open {string.Join(", ", app.Urls)} (phone page), API under /api/"));
try
{
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (SettingsRegistration.Failures(e) is { Count: > 0 } failures)
{
    // Settings are named, never printed: a value may be a connection string or a password.
    await Console.Error.WriteLineAsync("WelfareAudit local host did not start: fix these settings.");
    foreach (var failure in failures)
    {
        await Console.Error.WriteLineAsync("  " + failure);
    }
    return 2;
}
