using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WelfareAudit.Http;
using WelfareAudit.Http.Identity;
using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.Infrastructure.Reminders;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Telemetry to Application Insights (Entra-authenticated: local auth is off). The worker's default rule
// keeps only warnings for Application Insights; remove it so the Information-level audit trail
// (appends, sweeps) is kept, and adaptive sampling is off so none of it is dropped. Log messages carry
// ids, counts and type names only, never client data.
builder.Services
    .AddApplicationInsightsTelemetryWorkerService(options => options.EnableAdaptiveSampling = false)
    .ConfigureFunctionsApplicationInsights();
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var warningsOnly = options.Rules.FirstOrDefault(rule =>
        rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (warningsOnly is not null)
    {
        options.Rules.Remove(warningsOnly);
    }
});

builder.Services.AddWelfareAuditInfrastructure(builder.Configuration);
builder.Services.AddWelfareAuditReminders(builder.Configuration);
builder.Services.AddWelfareAuditHttp(new IdentityTrustOptions
{
    // The platform strips a client-sent X-MS-CLIENT-PRINCIPAL only when its authentication is on.
    PlatformAuthEnabled = IdentityTrustOptions.PlatformSaysAuthIsOn(builder.Configuration["WEBSITE_AUTH_ENABLED"]),
});

try
{
    builder.Build().Run();
    return 0;
}
catch (Exception e) when (SettingsRegistration.Failures(e) is { Count: > 0 } failures)
{
    // Settings are named, never printed: a value may be a connection string or a Key Vault reference.
    Console.Error.WriteLine("WelfareAudit did not start: fix these settings. " + string.Join(" ", failures));
    return 2;
}
