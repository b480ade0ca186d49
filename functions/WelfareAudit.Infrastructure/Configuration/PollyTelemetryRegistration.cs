using Microsoft.Extensions.DependencyInjection;
using Polly.Telemetry;

namespace WelfareAudit.Infrastructure.Configuration;

public static class PollyTelemetryRegistration
{
    /// <summary>
    /// Polly's telemetry logs each outcome's result: as a type name, never its value (it could carry a
    /// server's reply, a recipient's address or a ledger's data). Applies to every registered pipeline.
    /// </summary>
    public static IServiceCollection AddPollyResultsAsTypeNames(this IServiceCollection services)
    {
        services.Configure<TelemetryOptions>(telemetry => telemetry.ResultFormatter = (_, result) => result?.GetType().Name);
        return services;
    }
}
