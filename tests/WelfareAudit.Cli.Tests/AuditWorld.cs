using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Searches;
using WelfareAudit.Infrastructure.Configuration;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>The tests of this assembly share one Azurite (<see cref="AzuriteFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = AzuriteFixture.Collection;
}

/// <summary>
/// The product's own registration (the same DI the hosts use) over a fresh table on the real Azurite and
/// a fresh local key file, with a fake clock so ranges and daily checkpoints can be placed in time.
/// </summary>
public sealed class AuditWorld : IAsyncDisposable
{
    public const string TherapistA = "0b8f6f2e-1a51-4c3e-9d7a-6f1f9a1b2c01";
    public const string TherapistB = "0b8f6f2e-1a51-4c3e-9d7a-6f1f9a1b2c02";

    public static readonly Caller Supervisor = new("5a5a5a5a-0000-4000-8000-00000000abcd", new HashSet<Role> { Role.Supervisor });

    private readonly ServiceProvider _provider;
    private readonly AzuriteFixture _azurite;
    private readonly Action<IServiceCollection>? _configure;

    public AuditWorld(AzuriteFixture azurite, Action<IServiceCollection>? configure = null)
        : this(azurite, configure, AzuriteFixture.NewTableName("audit"), Directory.CreateTempSubdirectory("wa-audit-").FullName, null)
    {
    }

    private AuditWorld(AzuriteFixture azurite, Action<IServiceCollection>? configure, string tableName, string folder, DateTimeOffset? now)
    {
        (_azurite, _configure, TableName, Folder) = (azurite, configure, tableName, folder);
        if (now is { } at)
        {
            Time.SetUtcNow(at);
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WelfareAudit:Storage:ConnectionString"] = azurite.Server.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = tableName,
            ["WelfareAudit:Keys:LocalKeyFile"] = Path.Combine(Folder, "keys.json"),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddWelfareAuditInfrastructure(configuration);
        configure?.Invoke(services);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public string Folder { get; }

    public string TableName { get; }

    /// <summary>
    /// The same table and key file in a new process (fresh caches, the clock where this one's is): what the app is after
    /// its storage was changed behind its back. This world is disposed.
    /// </summary>
    public async Task<AuditWorld> RestartAsync()
    {
        await DisposeAsync();
        return new AuditWorld(_azurite, _configure, TableName, Folder, Time.GetUtcNow());
    }

    public ILedger Ledger => _provider.GetRequiredService<ILedger>();

    public TableLedger TableLedger => _provider.GetRequiredService<TableLedger>();

    public AuditExportService Exports => _provider.GetRequiredService<AuditExportService>();

    public DailyCheckpointJob DailyCheckpoint => _provider.GetRequiredService<DailyCheckpointJob>();

    public ISigningKeys SigningKeys => _provider.GetRequiredService<ISigningKeys>();

    /// <summary>The ledger table itself, as the owner of the storage account can write it.</summary>
    public TableClient Table => _provider.GetRequiredService<TableClient>();

    public IKeyRing KeyRing => _provider.GetRequiredService<IKeyRing>();

    public IClientIndexer Indexer => _provider.GetRequiredService<IClientIndexer>();

    /// <summary>A search and its whole follow-up: logged, next session, reminder, discussed, client code corrected.</summary>
    public async Task<SearchLogged> SearchWithFollowUpAsync(string ledgerId, string clientRef, bool discuss = true)
    {
        var now = Time.GetUtcNow();
        var entry = new CrisisSearchEntry(clientRef, now.AddHours(-1),
            new CrisisDetails("Said goodbye in an email; no answer since.", RiskLevel.High, [new ContactAttempt(ContactChannel.Phone, now.AddHours(-2))]),
            "No reply by phone or email after an alarming message.",
            new SearchScope([SearchSource.SearchEngine, SearchSource.Facebook], ["first last town"]),
            "A post from this morning.", "Called the emergency contact.", new ThirdPartyContact("sister", "that I am worried"), now.AddDays(3));
        var logged = new SearchLogged(Guid.NewGuid(), entry, await Indexer.IndexAsync(clientRef, default));
        LedgerEvent[] events =
        [
            logged,
            new NextSessionSet(logged.Id, now.AddDays(2)),
            new ReminderSent(logged.Id, "beforeSession", "before@1", now.AddDays(2), "email"),
            new DiscussedWithClient(logged.Id, now.AddHours(1), "We talked about the search.", "Understood"),
            new EntryAmended(logged.Id, "clientRef", clientRef + "-X", "typo in the code", false),
        ];
        foreach (var evt in events.Where(e => discuss || e is not DiscussedWithClient))
        {
            await Ledger.AppendAsync(ledgerId, ledgerId, evt.SearchId, _ => evt, default);
            Time.Advance(TimeSpan.FromMinutes(5));
        }
        return logged;
    }

    public async Task<string> ExportAsync(AuditExportRequest request, string name = "bundle.jsonl")
    {
        var export = await Exports.PrepareAsync(Supervisor, request, default);
        var path = Path.Combine(Folder, name);
        await using (var file = File.Create(path))
        {
            await Exports.WriteAsync(export, file, default);
        }
        return path;
    }

    public static AuditExportRequest Bundle(string? therapist = null, DateTimeOffset? from = null, bool withhold = false) =>
        new(from, null, therapist, AuditFormat.Bundle, withhold);

    public async Task<string> PublicKeyFileAsync()
    {
        var key = await Exports.GetSigningKeyAsync(default);
        var path = Path.Combine(Folder, "signing-key.pem");
        await File.WriteAllTextAsync(path, key.PublicKeyPem);
        return path;
    }

    /// <summary>The practice's private signing key, read from the development key file (a test may re-sign with it).</summary>
    public ECDsa PracticePrivateKey()
    {
        var keyFile = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "keys.json")))!;
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Convert.FromBase64String((string)keyFile["keys"]!["signing"]![0]!["key"]!),
        });
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
