using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Reviews;
using WelfareAudit.Core.Schedules;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;

namespace WelfareAudit.Infrastructure.Configuration;

public static class InfrastructureRegistration
{
    /// <summary>
    /// Registers the ledger, the key ring and the Azure clients (singletons, through
    /// Microsoft.Extensions.Azure, each with the SDK's own retry) from the <c>WelfareAudit</c> section.
    /// Every settings class is registered one way (<see cref="SettingsRegistration.AddSettings{T, TValidator}"/>)
    /// and validated when the host starts; nothing is read from configuration before that, so a bad value
    /// stops the start by name instead of failing (or being quoted) at the first request.
    /// </summary>
    public static IServiceCollection AddWelfareAuditInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        // Hosts have registered theirs; a bare service collection (tools, tests) gets the one it was given.
        services.TryAddSingleton(configuration);
        services.AddSettings<StorageOptions, StorageOptionsValidator>(StorageOptions.Section);
        services.AddSettings<LedgerOptions, LedgerOptionsValidator>(StorageOptions.Section);
        services.AddSettings<KeyOptions, KeyOptionsValidator>(KeyOptions.Section);
        services.AddSettings<KeyVaultKeyRingOptions, KeyVaultKeyRingOptionsValidator>(KeyOptions.Section);
        services.AddSettings<IdentityOptions, IdentityOptionsValidator>(IdentityOptions.Section);
        services.AddSettings<AuditReportOptions, AuditReportOptionsValidator>(AuditReportOptionsValidator.Section);
        services.AddSettings<AzureClientDefaultsOptions, AzureClientDefaultsOptionsValidator>(AzureClientDefaultsOptions.SectionName);
        // The schedules are root-level app settings (the names the Functions timer trigger resolves).
        services.AddSettings<TimerScheduleOptions, TimerScheduleOptionsValidator>("");
        services.TryAddSingleton(TimeProvider.System);

        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((options, credential, sp) =>
            {
                var storage = sp.Settings<StorageOptions>();
                return string.IsNullOrWhiteSpace(storage.ConnectionString)
                    ? new TableServiceClient(storage.TableServiceUri!, credential, options)
                    : new TableServiceClient(storage.ConnectionString, options);
            });
            clients.AddClient<SecretClient, SecretClientOptions>((options, credential, sp) =>
                new SecretClient(sp.Settings<KeyOptions>().VaultUri
                    ?? throw new InvalidOperationException("WelfareAudit:Keys:VaultUri is not set: the local key file is in use."), credential, options));
            clients.UseCredential(sp => CreateCredential(sp.Settings<IdentityOptions>()));
            // The SDK's own retry and network timeout, tunable (WelfareAudit:AzureClientDefaults:Retry:MaxRetries,
            // :Delay, :NetworkTimeout...). We never add a second retry around these calls.
            clients.ConfigureDefaults((options, sp) => sp.Settings<AzureClientDefaultsOptions>().ApplyTo(options));
        });

        services.TryAddSingleton(sp => sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.Settings<StorageOptions>().TableName));
        services.TryAddSingleton<IKeyRing>(sp =>
        {
            var keys = sp.Settings<KeyOptions>();
            var time = sp.GetRequiredService<TimeProvider>();
            return keys.VaultUri is not null
                ? new KeyVaultKeyRing(sp.GetRequiredService<SecretClient>(), sp.Settings<KeyVaultKeyRingOptions>(), time)
                : new LocalKeyFileKeyRing(Path.GetFullPath(keys.LocalKeyFile!), time, sp.GetService<ILogger<LocalKeyFileKeyRing>>());
        });
        // The append's retry of the ETag race and its deadline, registered once (telemetry from DI's ILoggerFactory).
        services.AddResiliencePipeline(LedgerAppendPipeline.Key, (builder, context) =>
        {
            builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            LedgerAppendPipeline.Configure(builder, context.GetOptions<LedgerOptions>(),
                context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<TableLedger>());
        });
        services.AddPollyResultsAsTypeNames();
        services.TryAddSingleton(sp => new TableLedger(
            sp.GetRequiredService<TableClient>(),
            sp.GetRequiredService<IKeyRing>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.Settings<LedgerOptions>(),
            sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(LedgerAppendPipeline.Key),
            sp.GetRequiredService<ILogger<TableLedger>>()));
        services.TryAddSingleton<ILedger>(sp => sp.GetRequiredService<TableLedger>());
        services.TryAddSingleton<IJobClaims>(sp => sp.GetRequiredService<TableLedger>());
        services.TryAddSingleton<IClientIndexer, BlindClientIndexer>();
        services.TryAddSingleton<CrisisSearchService>();

        // Audit: signed checkpoints (also the daily job, which both hosts run) and exports.
        services.TryAddSingleton(sp => sp.Settings<AuditReportOptions>());
        services.TryAddSingleton<ISigningKeys, KeyRingSigningKeys>();
        services.TryAddSingleton<IAuditLedgerReader>(sp => new TableAuditReader(sp.GetRequiredService<TableLedger>(), sp.GetRequiredService<IKeyRing>()));
        services.TryAddSingleton<LedgerCheckpointer>();
        services.TryAddSingleton<DailyCheckpointJob>();
        // Export formats: a new format is one class and one line here.
        services.TryAddSingleton<AuditSearchRows>();
        services.TryAddSingleton<ReviewService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, BundleExportFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, CsvExportFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, FhirExportFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditExportFormat, HtmlExportFormat>());
        services.TryAddSingleton<AuditExportFormats>();
        services.TryAddSingleton<AuditExportService>();
        services.TryAddSingleton<WelfareAudit.Core.Witness.CosignatureRecorder>();
        return services;
    }

    private static TokenCredential CreateCredential(IdentityOptions identity) => identity.Credential switch
    {
        "AzureCli" => new AzureCliCredential(),
        _ => string.IsNullOrWhiteSpace(identity.ManagedIdentityClientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(identity.ManagedIdentityClientId)),
    };
}
