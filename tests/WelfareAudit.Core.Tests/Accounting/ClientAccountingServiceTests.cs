using System.Text;
using WelfareAudit.Core.Accounting;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Tests.Support;
using static WelfareAudit.Core.Tests.Support.UseCaseWorld;

namespace WelfareAudit.Core.Tests.Accounting;

/// <summary>
/// The client accounting on the in-memory ledger: who may ask for whom, that the client's searches are found by the
/// blind index and only their events are decrypted, that the request is recorded (idempotently) and shows in the next
/// accounting, and that the bundle verifies and discloses this client's entries only.
/// </summary>
public class ClientAccountingServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly UseCaseWorld _world = new();
    private readonly InMemorySigningKeys _keys = new();
    private readonly OpeningRecorder _reader;
    private readonly ClientAccountingService _sut;

    public ClientAccountingServiceTests()
    {
        _reader = new OpeningRecorder(_world.Ledger);
        var formats = new AuditExportFormats([new BundleExportFormat(_world.Ledger, _world.Indexer, _keys)]);
        _sut = new ClientAccountingService(_world.Ledger, _reader, _world.Indexer, new LedgerCheckpointer(_world.Ledger, _keys, _world.Time), formats, _world.Time);
    }

    private static ClientAccountingRequest Html(string clientRef) => new(clientRef, ClientAccountingFormat.Html);

    private async Task LogWithTextAsync(string therapist, string clientRef, string justification)
    {
        var draft = _world.Draft(clientRef);
        draft.Justification = justification;
        await _world.Searches.LogAsync(Therapist(therapist), draft, null, None);
    }

    [Fact]
    public async Task PrepareAsync_TherapistOwnClient_ListsThatClientsSearchesOnly()
    {
        await LogWithTextAsync(TherapistA, "C-MINE", "mine one");
        await LogWithTextAsync(TherapistA, "C-OTHER", "other one");
        await LogWithTextAsync(TherapistA, "C-MINE", "mine two");

        var accounting = await _sut.PrepareAsync(Therapist(), Html("C-MINE"), None);

        Assert.Equal(["mine one", "mine two"], accounting.Searches.Select(s => s.Entry.Justification));
        Assert.All(accounting.Searches, s => Assert.Equal("C-MINE", s.Entry.ClientRef));
        Assert.Equal([TherapistA], accounting.Ledgers.Select(l => l.LedgerId));
    }

    [Fact]
    public async Task PrepareAsync_OnlyTheClientsEventsAreDecrypted()
    {
        await LogWithTextAsync(TherapistA, "C-MINE", "mine one");
        await LogWithTextAsync(TherapistA, "C-OTHER", "other one");
        var other = (await _world.Ledger.ListSearchesAsync(TherapistA, None).ToListAsync()).Single(p => p.LoggedSequence == 2).SearchId;
        await _world.Searches.RecordDiscussionAsync(Therapist(), other, new WelfareAudit.Core.Searches.DiscussionDraft { DiscussedAt = _world.Time.GetUtcNow(), Note = "other note" }, null, None);
        await LogWithTextAsync(TherapistA, "C-MINE", "mine two");

        var accounting = await _sut.PrepareAsync(Therapist(), Html("C-MINE"), None);

        Assert.Equal(2, accounting.Searches.Count);
        Assert.Equal([1L, 4L], _reader.Opened.Where(o => o.LedgerId == TherapistA).Select(o => o.Sequence).Distinct().Order());
    }

    [Fact]
    public async Task PrepareAsync_TherapistAsksForAnotherTherapistsClient_SameAnswerAsAClientNobodyHas()
    {
        await LogWithTextAsync(TherapistA, "C-OF-A", "a's client");

        var theirs = await _sut.PrepareAsync(Therapist(TherapistB), Html("C-OF-A"), None);
        var nobodys = await _sut.PrepareAsync(Therapist(TherapistB), Html("C-NOBODY"), None);

        Assert.Empty(theirs.Searches);
        Assert.Empty(nobodys.Searches);
        Assert.Equal(nobodys.Ledgers.Select(l => (l.LedgerId, l.Searches)), theirs.Ledgers.Select(l => (l.LedgerId, l.Searches)));
        Assert.Equal([TherapistB], theirs.Ledgers.Select(l => l.LedgerId));
    }

    [Fact]
    public async Task PrepareAsync_Supervisor_FindsTheClientInEveryLedger()
    {
        await LogWithTextAsync(TherapistA, "C-SHARED", "from a");
        await LogWithTextAsync(TherapistB, "C-SHARED", "from b");
        await LogWithTextAsync(TherapistB, "C-ELSE", "else");

        var accounting = await _sut.PrepareAsync(Supervisor, Html("C-SHARED"), None);

        Assert.Equal(["from a", "from b"], accounting.Searches.Select(s => s.Entry.Justification).Order(StringComparer.Ordinal));
        Assert.Equal(2, accounting.Ledgers.Count);
    }

    [Fact]
    public async Task PrepareAsync_NoRole_IsForbidden()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _sut.PrepareAsync(NoRole, Html("C-1"), None));
    }

    [Fact]
    public async Task PrepareAsync_ChangedEvent_IsRefusedAsTampered()
    {
        await LogWithTextAsync(TherapistA, "C-MINE", "mine");
        _world.Ledger.Tamper(TherapistA, 1, e => e with { Clear = new Dictionary<string, string>(e.Clear) { ["occurredAt"] = "2026-01-01T00:00:00.0000000Z" } });

        var refused = await Assert.ThrowsAsync<LedgerTamperedException>(() => _sut.PrepareAsync(Therapist(), Html("C-MINE"), None));

        Assert.Equal(LedgerProblemKind.ModifiedRow, refused.Verification.Problem!.Kind);
    }

    [Fact]
    public async Task RecordAsync_AppendsTheEventWithTheBlindIndexOnly_IdempotentAndListedNextTime()
    {
        await LogWithTextAsync(TherapistA, "C-MINE", "mine");
        var accounting = await _sut.PrepareAsync(Therapist(), Html("C-MINE"), None);
        var claim = WelfareAudit.Testing.IdempotencyClaims.For("key-1", "body-1");

        Assert.False(await _sut.RecordAsync(accounting, claim, None));
        Assert.True(await _sut.RecordAsync(accounting, claim, None));

        var events = await _world.Ledger.ReadAsync(TherapistA, 1, null, None).ToListAsync();
        var provided = Assert.Single(events, e => e.Event is ClientAccountingProvided);
        var fields = provided.Event.ToFields();
        Assert.Equal(new Dictionary<string, string> { ["clientIndex"] = accounting.ClientIndex, ["count"] = "1", ["format"] = "html", ["requestedBy"] = TherapistA, ["upToSequence"] = "1" }, fields.Clear);
        Assert.Empty(fields.Sensitive);
        Assert.DoesNotContain("C-MINE", string.Join("|", fields.Clear.Values), StringComparison.Ordinal);

        var next = await _sut.PrepareAsync(Therapist(), Html("C-MINE"), None);
        var earlier = Assert.Single(next.Earlier);
        Assert.Equal(("html", 1L, TherapistA), (earlier.Format, earlier.Count, earlier.RequestedBy));
        Assert.Empty((await _sut.PrepareAsync(Therapist(), Html("C-OTHER"), None)).Earlier);
    }

    [Fact]
    public async Task WriteBundleAsync_VerifiesDisclosesTheClientOnly_AndIsRecorded()
    {
        await LogWithTextAsync(TherapistA, "C-OTHER", "OTHER-JUSTIFICATION");
        await LogWithTextAsync(TherapistA, "C-MINE", "MINE-JUSTIFICATION");
        var accounting = await _sut.PrepareAsync(Therapist(), new ClientAccountingRequest("C-MINE", ClientAccountingFormat.Bundle), None);

        var bytes = await BundleAsync(accounting);

        var text = Encoding.UTF8.GetString(bytes);
        var verification = await VerifyAsync(bytes);
        Assert.True(verification.Ok, verification.Problem?.Detail);
        Assert.Contains("MINE-JUSTIFICATION", text, StringComparison.Ordinal);
        Assert.Contains("\"format\":\"welfare-audit-client-accounting\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("OTHER", text, StringComparison.Ordinal);
        var last = (await _world.Ledger.ReadAsync(TherapistA, 1, null, None).ToListAsync())[^1];
        Assert.Equal(EventTypes.ClientAccountingProvided, last.Header.Type);
    }

    [Fact]
    public async Task Verify_BundleDisclosingAnotherClientsEvent_IsDisclosureBroken()
    {
        await LogWithTextAsync(TherapistA, "C-OTHER", "other");
        await LogWithTextAsync(TherapistA, "C-MINE", "mine");
        var accounting = await _sut.PrepareAsync(Therapist(), new ClientAccountingRequest("C-MINE", ClientAccountingFormat.Bundle), None);
        var part = accounting.Ledgers[0];
        var widened = accounting with { Ledgers = [part with { ClientSequences = new HashSet<long>(part.ClientSequences) { 1 } }] };

        var verification = await VerifyAsync(await BundleAsync(widened));

        Assert.Equal(BundleProblemKind.DisclosureBroken, verification.Problem?.Kind);
        Assert.Equal(1, verification.Problem?.Sequence);
    }

    [Fact]
    public async Task Verify_BundleHidingOneOfTheClientsSearches_IsDisclosureBroken()
    {
        await LogWithTextAsync(TherapistA, "C-MINE", "mine one");
        await LogWithTextAsync(TherapistA, "C-MINE", "mine two");
        var accounting = await _sut.PrepareAsync(Therapist(), new ClientAccountingRequest("C-MINE", ClientAccountingFormat.Bundle), None);
        var part = accounting.Ledgers[0];
        var narrowed = accounting with { Ledgers = [part with { ClientSequences = new HashSet<long> { 1 } }] };

        var verification = await VerifyAsync(await BundleAsync(narrowed));

        Assert.Equal(BundleProblemKind.DisclosureBroken, verification.Problem?.Kind);
        Assert.Equal(2, verification.Problem?.Sequence);
    }

    private async Task<byte[]> BundleAsync(ClientAccounting accounting)
    {
        using var output = new MemoryStream();
        await _sut.WriteBundleAsync(accounting, null, output, None);
        return output.ToArray();
    }

    private async Task<BundleVerification> VerifyAsync(byte[] bundle)
    {
        using var key = await _keys.GetCurrentAsync(None);
        return await AuditBundleVerifier.VerifyAsync(new MemoryStream(bundle), key.PublicKeyPem, null, None);
    }

    /// <summary>The in-memory reader, recording which events a caller asked to have decrypted.</summary>
    private sealed class OpeningRecorder(IAuditLedgerReader inner) : IAuditLedgerReader
    {
        public List<(string LedgerId, long Sequence)> Opened { get; } = [];

        public IAsyncEnumerable<AuditEventRecord> ReadAsync(string ledgerId, long fromSequence, long toSequence, Func<EventHeader, bool> open, CancellationToken cancellationToken) =>
            inner.ReadAsync(ledgerId, fromSequence, toSequence, h =>
            {
                var opens = open(h);
                if (opens)
                {
                    Opened.Add((h.LedgerId, h.Sequence));
                }
                return opens;
            }, cancellationToken);
    }
}
