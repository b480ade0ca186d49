using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Identity;
using WelfareAudit.Core.Witness;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// <c>POST /api/ledger/cosignatures</c> end to end over real HTTP (local host, Azurite): a witness cosigns an
/// export, the supervisor uploads it, the next export carries it and verifies with the witness key; a
/// cosignature of another head, or one that does not verify, is refused and the ledger is left as it was.
/// </summary>
[Collection(LocalHostCollection.Name)]
public class WitnessApiTests(LocalHostFixture host)
{
    private const string Practice = "clinic.example";
    private static readonly WitnessSigningKey Witness = WitnessSigningKey.FromSeed("board.example/witness", Enumerable.Repeat((byte)5, 32).ToArray());

    private HttpClient Supervisor() => host.Client(Guid.NewGuid().ToString("D"), Role.Supervisor);

    private async Task<string> TherapistWithSearchesAsync(int searches)
    {
        var therapist = Guid.NewGuid().ToString("D");
        using var client = host.Client(therapist, Role.Therapist);
        for (var i = 0; i < searches; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("api/searches", LocalHostFixture.Json(SearchApiTests.ValidBody($"C-W-{i}")))).StatusCode);
        }
        return therapist;
    }

    private async Task<byte[]> ExportAsync(string therapist)
    {
        using var client = Supervisor();
        using var response = await client.GetAsync($"api/audit/export?format=bundle&therapist={therapist}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<CosignatureFile> CosignAsync(string therapist, long timestamp = 1764633600)
    {
        var bundle = await ExportAsync(therapist);
        Assert.True((await AuditBundleVerifier.VerifyAsync(new MemoryStream(bundle), null, null, default)).Ok);
        var outcome = await WitnessCosigner.CosignAsync(new MemoryStream(bundle), Witness, Practice, new Dictionary<string, WitnessStateEntry>(), timestamp, default);
        return outcome.File!;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(object file, string? idempotencyKey = null)
    {
        using var client = Supervisor();
        var request = new HttpRequestMessage(HttpMethod.Post, "api/ledger/cosignatures")
        {
            Content = LocalHostFixture.Json(file is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(file, CosignatureFile.Json)),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private async Task<(long Events, string Head)> LedgerAsync(string therapist)
    {
        using var client = host.Client(therapist, Role.Therapist);
        var ledger = JsonDocument.Parse(await client.GetStringAsync("api/ledger/verify")).RootElement.GetProperty("ledgers")[0];
        return (ledger.GetProperty("events").GetInt64(), ledger.GetProperty("headHash").GetString()!);
    }

    [Fact]
    public async Task RecordCosignatures_WitnessCosignedExport_AppendedAndTheNextExportVerifiesWithTheWitness()
    {
        var therapist = await TherapistWithSearchesAsync(2);
        var file = await CosignAsync(therapist);

        var (status, body, _) = await PostAsync(file);

        Assert.Equal(HttpStatusCode.OK, status);
        var recorded = body.GetProperty("cosignatures")[0];
        Assert.Equal(therapist, recorded.GetProperty("ledgerId").GetString());
        Assert.Equal(file.Cosignatures![0].TreeSize, recorded.GetProperty("treeSize").GetInt64());
        Assert.False(recorded.GetProperty("replayed").GetBoolean());
        var next = await ExportAsync(therapist);
        var report = await WitnessBundleCheck.CheckAsync(() => new MemoryStream(next), Witness.Public.PublicKey, Witness.Name, default);
        Assert.True(report.Ok, report.Problem?.ToString());
        Assert.Equal(1, Assert.Single(report.Ledgers).Checked);
    }

    [Fact]
    public async Task RecordCosignatures_SameFileTwice_AppendsOnce()
    {
        var therapist = await TherapistWithSearchesAsync(1);
        var file = await CosignAsync(therapist);

        var first = await PostAsync(file, "witness-upload-1");
        var replay = await PostAsync(file, "witness-upload-1");
        var again = await PostAsync(file);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Equal("true", replay.Response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.True(again.Body.GetProperty("cosignatures")[0].GetProperty("replayed").GetBoolean());
        var sequence = first.Body.GetProperty("cosignatures")[0].GetProperty("sequence").GetInt64();
        Assert.Equal(sequence, replay.Body.GetProperty("cosignatures")[0].GetProperty("sequence").GetInt64());
        Assert.Equal(sequence, again.Body.GetProperty("cosignatures")[0].GetProperty("sequence").GetInt64());
        Assert.Equal(sequence, (await LedgerAsync(therapist)).Events);
    }

    [Fact]
    public async Task RecordCosignatures_CosignatureOverAnotherHead_409NamingLedgerAndSequence_NothingAppended()
    {
        var therapist = await TherapistWithSearchesAsync(2);
        var file = await CosignAsync(therapist);
        var c = file.Cosignatures![0];
        // The witness (validly) signed a head the ledger never had: it saw another history.
        var note = new CheckpointNote(c.Origin!, c.TreeSize!.Value, Convert.FromBase64String(c.RootHash!), new string('7', 64));
        var line = Cosignature.Sign(Witness, note.Body, 1764633600).ToLine();
        c.HeadHash = note.HeadHash;
        c.Signature = line[(line.LastIndexOf(' ') + 1)..^1];
        var before = await LedgerAsync(therapist);

        var (status, body, _) = await PostAsync(file);

        Assert.Equal(HttpStatusCode.Conflict, status);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains($"ledger {therapist}, sequence {c.TreeSize}", detail, StringComparison.Ordinal);
        Assert.Equal(before, await LedgerAsync(therapist));
    }

    [Fact]
    public async Task RecordCosignatures_MoreEventsThanTheLedgerHolds_409()
    {
        var therapist = await TherapistWithSearchesAsync(1);
        var file = await CosignAsync(therapist);
        var c = file.Cosignatures![0];
        var note = new CheckpointNote(c.Origin!, 50, Convert.FromBase64String(c.RootHash!), c.HeadHash!);
        var line = Cosignature.Sign(Witness, note.Body, 1764633600).ToLine();
        c.TreeSize = 50;
        c.Signature = line[(line.LastIndexOf(' ') + 1)..^1];

        var (status, body, _) = await PostAsync(file);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains($"ledger {therapist}, sequence 50", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadValues() => new()
    {
        { "signature", "cosignatures[0].signature" },
        { "headHash", "cosignatures[0].signature" },
        { "origin", "cosignatures[0].origin" },
        { "witness", "witness" },
        { "otherWitness", "cosignatures[0].signature" },
        { "version", "version" },
        { "duplicate", "cosignatures[1].ledgerId" },
    };

    /// <summary>Each value that does not check is a 400 naming it, and nothing is appended.</summary>
    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task RecordCosignatures_ValueThatDoesNotCheck_400NamingIt(string change, string field)
    {
        var therapist = await TherapistWithSearchesAsync(1);
        var file = JsonSerializer.SerializeToNode(await CosignAsync(therapist), CosignatureFile.Json)!.AsObject();
        var c = file["cosignatures"]![0]!.AsObject();
        switch (change)
        {
            case "signature":
                var bytes = Convert.FromBase64String((string)c["signature"]!);
                bytes[^1] ^= 1;
                c["signature"] = Convert.ToBase64String(bytes);
                break;
            case "headHash": // another head, but the signature is still the one over the real head
                c["headHash"] = new string('7', 64);
                break;
            case "origin":
                c["origin"] = Practice + "/welfare-audit/another-ledger";
                break;
            case "witness": // not a verifier key: the key ID does not match the name and key
                file["witness"] = "board.example/witness+00000000+" + ((string)file["witness"]!).Split('+', 3)[2];
                break;
            case "otherWitness": // a well-formed key of another witness: its signatures are not these
                file["witness"] = WitnessSigningKey.FromSeed("board.example/witness", Enumerable.Repeat((byte)6, 32).ToArray()).Public.ToText();
                break;
            case "version":
                file["version"] = 2;
                break;
            case "duplicate":
                file["cosignatures"]!.AsArray().Add(c.DeepClone());
                break;
        }
        var before = await LedgerAsync(therapist);

        var (status, body, _) = await PostAsync(file);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
        Assert.Equal(before, await LedgerAsync(therapist));
    }

    [Fact]
    public async Task RecordCosignatures_UnknownLedger_404()
    {
        var therapist = await TherapistWithSearchesAsync(1);
        var file = await CosignAsync(therapist);
        var c = file.Cosignatures![0];
        var other = Guid.NewGuid().ToString("D");
        var note = new CheckpointNote(WitnessOrigin.For(Practice, other), c.TreeSize!.Value, Convert.FromBase64String(c.RootHash!), c.HeadHash!);
        var line = Cosignature.Sign(Witness, note.Body, 1764633600).ToLine();
        (c.LedgerId, c.Origin, c.Signature) = (other, note.Origin, line[(line.LastIndexOf(' ') + 1)..^1]);

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(file)).Status);
    }
}
