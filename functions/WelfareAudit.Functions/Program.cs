using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WelfareAudit.Http;
using WelfareAudit.Http.Identity;
using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.Infrastructure.Reminders;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

builder.Services.AddWelfareAuditInfrastructure(builder.Configuration);
builder.Services.AddWelfareAuditReminders(builder.Configuration);
builder.Services.AddWelfareAuditHttp(new IdentityTrustOptions
{
    // The platform strips a client-sent X-MS-CLIENT-PRINCIPAL only when its authentication is on.
    PlatformAuthEnabled = IdentityTrustOptions.PlatformSaysAuthIsOn(builder.Configuration["WEBSITE_AUTH_ENABLED"]),
});

builder.Build().Run();
