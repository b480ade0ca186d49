using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;

namespace WelfareAudit.Infrastructure.Configuration;

public static class InfrastructureRegistration
{
    /// <summary>
    /// Registers the ledger, the key ring and the Azure clients (singletons, through
    /// Microsoft.Extensions.Azure, each with the SDK's own retry) from the <c>WelfareAudit</c> section.
    /// </summary>
    public static IServiceCollection AddWelfareAuditInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(WelfareAuditOptions.SectionName);
        services.AddOptions<WelfareAuditOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WelfareAuditOptions>, WelfareAuditOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The shape of the registration depends on the settings; their validity is checked at start.
        var settings = section.Get<WelfareAuditOptions>() ?? new WelfareAuditOptions();
        services.AddAzureClients(clients =>
        {
            if (!string.IsNullOrWhiteSpace(settings.Storage.ConnectionString))
            {
                clients.AddTableServiceClient(settings.Storage.ConnectionString);
            }
            else if (settings.Storage.TableServiceUri is { } tableUri)
            {
                clients.AddTableServiceClient(tableUri);
            }
            if (settings.Keys.VaultUri is { } vaultUri)
            {
                clients.AddSecretClient(vaultUri);
            }
            clients.UseCredential(CreateCredential(settings.Identity));
            // The SDK's own retry and network timeout, tunable (WelfareAudit:AzureClientDefaults:Retry:MaxRetries,
            // :Delay, :NetworkTimeout...). We never add a second retry around these calls.
            clients.ConfigureDefaults(section.GetSection("AzureClientDefaults"));
        });

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WelfareAuditOptions>>().Value;
            return sp.GetRequiredService<TableServiceClient>().GetTableClient(options.Storage.TableName);
        });
        services.TryAddSingleton<IKeyRing>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WelfareAuditOptions>>().Value.Keys;
            var time = sp.GetRequiredService<TimeProvider>();
            return options.VaultUri is not null
                ? new KeyVaultKeyRing(sp.GetRequiredService<SecretClient>(),
                    new KeyVaultKeyRingOptions { SecretNamePrefix = options.SecretNamePrefix, CurrentKeyRefreshInterval = options.CurrentKeyRefreshInterval }, time)
                : new LocalKeyFileKeyRing(Path.GetFullPath(options.LocalKeyFile!), time);
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WelfareAuditOptions>>().Value.Storage;
            return new TableLedger(
                sp.GetRequiredService<TableClient>(),
                sp.GetRequiredService<IKeyRing>(),
                sp.GetRequiredService<TimeProvider>(),
                new LedgerOptions { MaxAppendAttempts = options.MaxAppendAttempts, OperationTimeout = options.OperationTimeout },
                sp.GetRequiredService<ILogger<TableLedger>>());
        });
        services.TryAddSingleton<ILedger>(sp => sp.GetRequiredService<TableLedger>());
        services.TryAddSingleton<IClientIndexer, BlindClientIndexer>();
        services.TryAddSingleton<CrisisSearchService>();

        // Audit: signed checkpoints (also the daily job, which both hosts run) and exports.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WelfareAuditOptions>>().Value.Audit);
        services.TryAddSingleton<ISigningKeys, KeyRingSigningKeys>();
        services.TryAddSingleton<IAuditLedgerReader>(sp => new TableAuditReader(sp.GetRequiredService<TableLedger>(), sp.GetRequiredService<IKeyRing>()));
        services.TryAddSingleton<LedgerCheckpointer>();
        services.TryAddSingleton<DailyCheckpointJob>();
        // Export formats: a new format is one class and one line here.
        services.TryAddSingleton<AuditSearchRows>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, BundleExportFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, CsvExportFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, FhirExportFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, HtmlExportFormat>());
        services.TryAddSingleton<AuditExportFormats>();
        services.TryAddSingleton<AuditExportService>();
        return services;
    }

    private static TokenCredential CreateCredential(IdentitySettings identity) => identity.Credential switch
    {
        "AzureCli" => new AzureCliCredential(),
        _ => string.IsNullOrWhiteSpace(identity.ManagedIdentityClientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(identity.ManagedIdentityClientId)),
    };
}
