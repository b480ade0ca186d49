using WelfareAudit.LocalHost;

var app = LocalHostApp.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"WelfareAudit local host: open {string.Join(", ", app.Urls)} (phone page), API under /api/"));
await app.RunAsync();
