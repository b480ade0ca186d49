using WelfareAudit.Core.Identity;
using WelfareAudit.Http;
using WelfareAudit.Http.Identity;
using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.Infrastructure.Reminders;

namespace WelfareAudit.LocalHost;

/// <summary>
/// Builds the local host: the Functions app's route table on Kestrel, against Azurite and a local key
/// file by default. Tests build it the same way, on a free port.
/// </summary>
public static class LocalHostApp
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var defaults = new Dictionary<string, string?>();
        if (builder.Configuration["urls"] is null)
        {
            defaults["urls"] = DefaultUrl;
        }
        if (builder.Configuration["WelfareAudit:Storage:ConnectionString"] is null && builder.Configuration["WelfareAudit:Storage:TableServiceUri"] is null)
        {
            defaults["WelfareAudit:Storage:ConnectionString"] = "UseDevelopmentStorage=true";
        }
        if (builder.Configuration["WelfareAudit:Keys:LocalKeyFile"] is null && builder.Configuration["WelfareAudit:Keys:VaultUri"] is null)
        {
            defaults["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Directory.GetCurrentDirectory(), ".local", "keys.json");
        }
        builder.Configuration.AddInMemoryCollection(defaults);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddWelfareAuditInfrastructure(builder.Configuration);
        builder.Services.AddWelfareAuditReminders(builder.Configuration);
        // First of all startup filters, so the socket's address is read before the forwarded-headers
        // filter (ASPNETCORE_FORWARDEDHEADERS_ENABLED=true) can replace it with a header.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter, SocketCaptureFilter>());
        if (builder.Configuration["WelfareAudit:LocalHost:RunSchedules"] != "false")
        {
            builder.Services.AddHostedService<TimerJobScheduler>();
        }
        builder.Services.AddWelfareAuditHttp(new IdentityTrustOptions
        {
            // Locally there is no App Service Authentication: in Development the same header is
            // believed from loopback callers only, so tests drive the real parsing code.
            TrustLoopback = builder.Environment.IsDevelopment(),
            PlatformAuthEnabled = false,
        });

        configure?.Invoke(builder);
        var app = builder.Build();
        var devIdentity = app.Configuration["WelfareAudit:LocalHost:DevIdentity"];
        if (app.Environment.IsDevelopment() && !string.IsNullOrEmpty(devIdentity))
        {
            app.Use(DevSignIn(devIdentity));
        }
        MapRoutes(app);
        return app;
    }

    /// <summary>Maps every route of <see cref="Routes.All"/> onto the shared dispatch, as the Functions adapters do.</summary>
    public static void MapRoutes(WebApplication app)
    {
        foreach (var route in Routes.All)
        {
            app.MapMethods("/" + route.Template, [route.Method], (HttpContext context, ApiDispatch dispatch) => dispatch.RunAsync(route, context))
                .WithName(route.Name);
        }
        // The Functions host's admin call to run a non-HTTP function now; here it runs to completion
        // before answering 202, so a caller knows the run is over.
        app.MapPost("/admin/functions/{name}", async (HttpContext context, string name, ILogger<TimerJobScheduler> logger) =>
        {
            var refusal = !RequestOrigin.IsLoopbackSocket(context) ? RequestOrigin.RemoteSocket
                : !RequestOrigin.IsLoopbackHost(context) ? RequestOrigin.ForeignHost
                : RequestOrigin.CrossSiteReason(context, ownOriginKnown: true);
            if (refusal is not null)
            {
                return Problems.Problem(StatusCodes.Status403Forbidden, "Forbidden", refusal);
            }
            var job = TimerJobs.All.FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.Ordinal));
            if (job is null)
            {
                return Problems.Problem(StatusCodes.Status404NotFound, "Not found", "No timer function by that name.");
            }
            try
            {
                await job.Run(context.RequestServices, context.RequestAborted);
                return Results.Accepted();
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                return Problems.From(e, context, logger);
            }
        });
    }

    /// <summary>
    /// Development sign-in for a person at the keyboard: a loopback request addressed to this machine
    /// (loopback Host) without a principal gets a fixed development identity; the caller resolver still
    /// refuses it when it comes from another site. Never active outside Development. For the phone page's
    /// "Signed in as …", <c>/.auth/me</c> answers that identity as App Service Authentication does, and
    /// <c>/.auth/logout</c> says that this sign-in has no sign-out.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> DevSignIn(string role)
    {
        const string objectId = "00000000-0000-4000-8000-00000000d3e1";
        var roles = role.Equals("supervisor", StringComparison.OrdinalIgnoreCase) ? new[] { Role.Therapist, Role.Supervisor } : [Role.Therapist];
        var header = ClientPrincipal.Encode(objectId, roles);
        var name = $"Development sign-in ({string.Join(" and ", roles).ToLowerInvariant()})";
        var me = System.Text.Json.JsonSerializer.Serialize(new[]
        {
            new
            {
                provider_name = "aad",
                user_id = name,
                user_claims = new[] { new { typ = ClientPrincipal.ObjectIdClaim, val = objectId }, new { typ = "name", val = name } }
                    .Concat(roles.Select(r => new { typ = "roles", val = r.ToString() })).ToArray(),
            },
        });
        return (context, next) =>
        {
            if (RequestOrigin.IsLoopbackSocket(context) && RequestOrigin.IsLoopbackHost(context) && !context.Request.Headers.ContainsKey(ClientPrincipal.HeaderName))
            {
                if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Equals("/.auth/me", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers.CacheControl = "no-store";
                    context.Response.ContentType = "application/json; charset=utf-8";
                    return context.Response.WriteAsync(me);
                }
                if (context.Request.Path.Equals("/.auth/logout", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    return context.Response.WriteAsync("The local host's development sign-in has no sign-out: stop the host, or start it without WelfareAudit__LocalHost__DevIdentity.");
                }
                context.Request.Headers[ClientPrincipal.HeaderName] = header;
            }
            return next(context);
        };
    }
}
