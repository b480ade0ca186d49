using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WelfareAudit.Http.Identity;

namespace WelfareAudit.Http;

public static class HttpRegistration
{
    /// <summary>Registers the handlers; the host says when the principal header may be trusted.</summary>
    public static IServiceCollection AddWelfareAuditHttp(this IServiceCollection services, IdentityTrustOptions trust)
    {
        services.TryAddSingleton(trust);
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>());
        services.TryAddSingleton<CallerRateLimits>();
        services.TryAddSingleton<CallerResolver>();
        services.TryAddSingleton<SearchHandlers>();
        services.TryAddSingleton<AuditHandlers>();
        services.TryAddSingleton<ReviewHandlers>();
        services.TryAddSingleton<PhonePage>();
        services.TryAddSingleton<WitnessHandlers>();
        services.TryAddSingleton<ApiServices>();
        services.TryAddSingleton<ApiDispatch>();
        return services;
    }
}
