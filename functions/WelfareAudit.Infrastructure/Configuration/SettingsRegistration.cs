using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WelfareAudit.Infrastructure.Configuration;

/// <summary>The one way settings are registered: bound from their section, checked at start, never printed.</summary>
public static class SettingsRegistration
{
    /// <summary>
    /// <c>AddOptions&lt;T&gt;().BindConfiguration(section).ValidateOnStart()</c> with <typeparamref name="TValidator"/>,
    /// preceded by <see cref="SettingValues"/> so that a value the binder cannot convert is refused by
    /// name, not quoted. A bad setting stops the host at start, naming every failure. An empty
    /// <paramref name="section"/> binds root-level settings (names given by <see cref="ConfigurationKeyNameAttribute"/>).
    /// </summary>
    public static OptionsBuilder<T> AddSettings<T, TValidator>(this IServiceCollection services, string section)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        return services.AddOptions<T>()
            .Configure<IConfiguration>((_, configuration) =>
                SettingValues.ThrowIfUnreadable<T>(section.Length == 0 ? configuration : configuration.GetSection(section)))
            .BindConfiguration(section)
            .ValidateOnStart();
    }

    /// <summary>
    /// The settings failures behind a failed start (one <see cref="OptionsValidationException"/> per
    /// settings class, several in an <see cref="AggregateException"/>); empty when the failure is another one.
    /// </summary>
    public static IReadOnlyList<string> Failures(Exception failure) => failure switch
    {
        OptionsValidationException v => [.. v.Failures],
        AggregateException a when a.InnerExceptions.All(e => e is OptionsValidationException) => [.. a.InnerExceptions.SelectMany(Failures)],
        _ => [],
    };

    /// <summary>The validated value, for registrations that build a component from settings.</summary>
    public static T Settings<T>(this IServiceProvider services) where T : class =>
        services.GetRequiredService<IOptions<T>>().Value;
}
