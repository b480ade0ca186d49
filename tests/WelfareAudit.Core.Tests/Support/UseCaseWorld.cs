using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Searches;
using WelfareAudit.Testing;

namespace WelfareAudit.Core.Tests.Support;

/// <summary>
/// The use cases over the in-memory ledger, on a fake clock: no storage, no network. The key-dependent
/// ports are small real implementations (HMAC blind index, ECDSA P-256 signing keys in memory).
/// </summary>
public sealed class UseCaseWorld
{
    public const string TherapistA = "0b8f6f2e-1a51-4c3e-9d7a-6f1f9a1b2c01";
    public const string TherapistB = "0b8f6f2e-1a51-4c3e-9d7a-6f1f9a1b2c02";

    public UseCaseWorld()
    {
        Ledger = new InMemoryLedger(Time);
        Searches = new CrisisSearchService(Ledger, Indexer, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));

    public InMemoryLedger Ledger { get; }

    public HmacClientIndexer Indexer { get; } = new();

    public CrisisSearchService Searches { get; }

    public static Caller Therapist(string id = TherapistA) => new(id, new HashSet<Role> { Role.Therapist });

    public static Caller Supervisor { get; } = new("5a5a5a5a-0000-4000-8000-00000000abcd", new HashSet<Role> { Role.Supervisor });

    public static Caller NoRole { get; } = new("7c7c7c7c-0000-4000-8000-000000000001", new HashSet<Role>());

    /// <summary>A complete, valid draft: the search an hour ago, two failed contacts before it.</summary>
    public CrisisSearchDraft Draft(string clientRef = "C-0042", DateTimeOffset? nextSessionAt = null)
    {
        var now = Time.GetUtcNow();
        return new CrisisSearchDraft
        {
            ClientRef = clientRef,
            OccurredAt = now.AddHours(-1),
            Crisis = new CrisisDraft
            {
                DangerSuspected = "Said last session they had a plan; missed today's appointment.",
                RiskLevel = "high",
                ContactAttempts =
                [
                    new ContactAttemptDraft { Channel = "missedAppointment", At = now.AddHours(-4) },
                    new ContactAttemptDraft { Channel = "phone", At = now.AddHours(-3) },
                ],
            },
            Justification = "No answer on phone or email after a missed session, with prior disclosure of a plan.",
            Scope = new ScopeDraft { Sources = ["searchEngine"], Queries = ["name + town"] },
            Findings = "Public post from this morning.",
            NextSessionAt = nextSessionAt,
        };
    }

    /// <summary>Logs a search through the use case, as the API does.</summary>
    public async Task<Guid> LogAsync(string therapist = TherapistA, string clientRef = "C-0042", DateTimeOffset? nextSessionAt = null) =>
        (await Searches.LogAsync(Therapist(therapist), Draft(clientRef, nextSessionAt), null, CancellationToken.None)).SearchId!.Value;
}

/// <summary>The keyed blind index as the product computes it: an HMAC of the client code under a key of this run.</summary>
public sealed class HmacClientIndexer : IClientIndexer
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public Task<string> IndexAsync(string clientRef, CancellationToken cancellationToken) =>
        Task.FromResult("k1:" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(clientRef))));
}

/// <summary>The practice's signing keys in memory: P-256 keys by id, the newest current; <see cref="Rotate"/> adds one.</summary>
public sealed class InMemorySigningKeys : ISigningKeys
{
    private readonly List<(string Id, byte[] Pkcs8)> _keys = [];

    public InMemorySigningKeys() => Rotate();

    public string CurrentKeyId => _keys[^1].Id;

    public void Rotate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _keys.Add(("sig-" + (_keys.Count + 1), key.ExportPkcs8PrivateKey()));
    }

    public Task<SigningKey> GetCurrentAsync(CancellationToken cancellationToken) => Task.FromResult(Open(_keys[^1]));

    public Task<PublicSigningKey> GetPublicAsync(string keyId, CancellationToken cancellationToken)
    {
        using var key = Open(_keys.Single(k => k.Id == keyId));
        return Task.FromResult(new PublicSigningKey(key.KeyId, key.PublicKeyPem));
    }

    private static SigningKey Open((string Id, byte[] Pkcs8) stored)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(stored.Pkcs8, out _);
        return new SigningKey(stored.Id, key);
    }
}
