using System.Text.Json;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Witness;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// <c>witness init</c>, <c>witness cosign</c> and <c>verify --witness</c> in-process, on bundles made by
/// <see cref="BundleForge"/>, which plays the practice's owner: it holds the signing key and can write any
/// history and sign it, so every bundle here passes the plain <c>verify</c>. Only the witness tells them apart.
/// </summary>
public sealed class WitnessCommandTests : IDisposable
{
    private const string Practice = "clinic.example";
    private static readonly string SearchId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    private readonly string _folder = Directory.CreateTempSubdirectory("wa-witness-").FullName;
    private readonly BundleForge _owner = new();

    public void Dispose()
    {
        _owner.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string WitnessFolder => Path.Combine(_folder, "witness");

    private string OwnerKey
    {
        get
        {
            var path = Path.Combine(_folder, "practice.pem");
            File.WriteAllText(path, _owner.PublicKeyPem);
            return path;
        }
    }

    private static ForgedEvent Search(string what) => new("SearchLogged", new() { ["searchId"] = SearchId }, new() { ["justification"] = what }, []);

    private async Task<string> InitAsync()
    {
        var run = await CliRun.RunAsync("witness", "init", "--out", WitnessFolder, "--name", "board.example/witness");
        Assert.Equal(CliApp.Ok, run.ExitCode);
        return Path.Combine(WitnessFolder, WitnessCommands.PrivateKeyFile);
    }

    private async Task<(CliRun Run, CosignatureFile? File)> CosignAsync(string bundle, string key)
    {
        var output = bundle + ".cosig.json";
        var run = await CliRun.RunAsync("witness", "cosign", bundle, "--key", key, "--practice", Practice, "--public-key", OwnerKey, "--out", output);
        return (run, File.Exists(output) ? JsonSerializer.Deserialize<CosignatureFile>(File.ReadAllText(output), CosignatureFile.Json) : null);
    }

    /// <summary>What the API appends for an uploaded cosignature, as the forged owner's history holds it.</summary>
    private static ForgedEvent Recorded(CosignatureFile file)
    {
        var c = file.Cosignatures![0];
        var e = new WitnessCosigned(file.Witness!, c.Origin!, c.TreeSize!.Value, c.RootHash!, c.HeadHash!, c.Signature!);
        return new(EventTypes.WitnessCosigned, new(e.ToFields().Clear), [], []);
    }

    /// <summary>Three searches, cosigned at sequence 3, the cosignature recorded at 4, one more search at 5.</summary>
    private async Task<(string Key, CosignatureFile Cosigned)> CosignedHistoryAsync()
    {
        var key = await InitAsync();
        _owner.Events.Clear();
        _owner.Events.AddRange([Search("one"), Search("two"), Search("three")]);
        var (run, file) = await CosignAsync(_owner.WriteTo(_folder, "first.jsonl"), key);
        Assert.True(run.ExitCode == CliApp.Ok, run.Out + run.Error);
        _owner.Events.AddRange([Recorded(file!), Search("four")]);
        return (key, file!);
    }

    [Fact]
    public async Task Init_WritesKeyPair_PrivateKeyOwnerOnlyAndNeverOverwritten()
    {
        var key = await InitAsync();

        Assert.NotNull(WitnessSigningKey.TryParse(File.ReadAllText(key), out _));
        var vkey = NoteVerifierKey.TryParse(File.ReadAllText(Path.Combine(WitnessFolder, WitnessCommands.VerifierKeyFile)), out _)!;
        Assert.Equal(NoteVerifierKey.CosignatureV1Type, vkey.Type);
        Assert.Equal(vkey.PublicKey, WitnessPublicKeyPem.TryRead(File.ReadAllText(Path.Combine(WitnessFolder, WitnessCommands.PemFile))));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
        var again = await CliRun.RunAsync("witness", "init", "--out", WitnessFolder);
        Assert.Equal(CliApp.UsageError, again.ExitCode);
        Assert.Contains("never overwritten", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosign_FullBundle_WritesCheckpointOfEachLedgerThatVerifies()
    {
        var (key, file) = await CosignedHistoryAsync();

        var c = Assert.Single(file.Cosignatures!);
        Assert.Equal($"{Practice}/welfare-audit/{_owner.LedgerId}", c.Origin);
        Assert.Equal(3, c.TreeSize);
        var witness = WitnessSigningKey.TryParse(File.ReadAllText(key), out _)!.Public;
        Assert.True(WitnessCosignatures.Check(witness, _owner.LedgerId, c.Origin, c.TreeSize, c.RootHash, c.HeadHash, c.Signature).Ok);
        var hashes = BundleTampering.Lines(Path.Combine(_folder, "first.jsonl")).Skip(2).SkipLast(1)
            .Select(l => Convert.FromHexString(JsonDocument.Parse(l).RootElement.GetProperty("hash").GetString()!)).ToList();
        Assert.Equal(Convert.ToBase64String(MerkleTree.Root(hashes)), c.RootHash);
    }

    [Fact]
    public async Task VerifyWitness_CosignatureCarriedByTheChain_PassesAndSaysHowOld()
    {
        await CosignedHistoryAsync();
        var bundle = _owner.WriteTo(_folder, "second.jsonl");

        var run = await CliRun.RunAsync("verify", bundle, "--public-key", OwnerKey, "--witness", Path.Combine(WitnessFolder, WitnessCommands.VerifierKeyFile));

        Assert.True(run.ExitCode == CliApp.Ok, run.Out);
        Assert.Contains("Witness: every ledger carries a cosignature", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 checked against the chain", run.Out, StringComparison.Ordinal);
        Assert.Contains("newest cosigned head: sequence 3", run.Out, StringComparison.Ordinal);
        // The PEM form of the same key works too.
        Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("verify", bundle, "--public-key", OwnerKey, "--witness", Path.Combine(WitnessFolder, WitnessCommands.PemFile))).ExitCode);
    }

    [Fact]
    public async Task VerifyWitness_OwnerDeletesASearchBeforeTheCosignedHeadAndResigns_FailsNamingTheSequence()
    {
        await CosignedHistoryAsync();
        _owner.Events.RemoveAt(1); // the owner deletes search "two", keeps the cosignature, rebuilds and re-signs everything

        var bundle = _owner.WriteTo(_folder, "rewritten.jsonl");
        Assert.Equal(CliApp.Ok, (await CliRun.RunAsync("verify", bundle, "--public-key", OwnerKey)).ExitCode); // the limit of one key
        var run = await CliRun.RunAsync("verify", bundle, "--public-key", OwnerKey, "--witness", Path.Combine(WitnessFolder, WitnessCommands.VerifierKeyFile));

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("FAILED: WitnessMismatch", run.Out, StringComparison.Ordinal);
        Assert.Contains($"where: ledger {_owner.LedgerId}, sequence 3", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyWitness_OwnerDeletesASearchLongBeforeTheUpload_FailsOnTheHashAtTheCosignedSequence()
    {
        var (_, file) = await CosignedHistoryAsync();
        _owner.Events.RemoveAt(3);
        _owner.Events.AddRange([Search("five"), Recorded(file), Search("six")]); // uploaded later: the cosignature is at 6
        _owner.Events.RemoveAt(0);

        var run = await CliRun.RunAsync("verify", _owner.WriteTo(_folder, "rewritten.jsonl"), "--public-key", OwnerKey, "--witness", Path.Combine(WitnessFolder, WitnessCommands.VerifierKeyFile));

        Assert.StartsWith("FAILED: WitnessMismatch", run.Out, StringComparison.Ordinal);
        Assert.Contains($"where: ledger {_owner.LedgerId}, sequence 3", run.Out, StringComparison.Ordinal);
        Assert.Contains("chain's hash at sequence 3 is not the one the witness cosigned", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyWitness_OwnerDropsTheCosignature_FailsAsMissing()
    {
        await CosignedHistoryAsync();
        _owner.Events.RemoveAt(3);

        var run = await CliRun.RunAsync("verify", _owner.WriteTo(_folder, "dropped.jsonl"), "--public-key", OwnerKey, "--witness", Path.Combine(WitnessFolder, WitnessCommands.VerifierKeyFile));

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("FAILED: WitnessMissing", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyWitness_CosignatureFieldAltered_FailsAsBadCosignature()
    {
        var (_, file) = await CosignedHistoryAsync();
        var forged = file.Cosignatures![0];
        forged.TreeSize = 2; // claim the witness cosigned an earlier head
        _owner.Events[3] = Recorded(file);

        var run = await CliRun.RunAsync("verify", _owner.WriteTo(_folder, "altered.jsonl"), "--public-key", OwnerKey, "--witness", Path.Combine(WitnessFolder, WitnessCommands.VerifierKeyFile));

        Assert.StartsWith("FAILED: BadCosignature", run.Out, StringComparison.Ordinal);
        Assert.Contains("sequence 4", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyWitness_CosignatureWithAFieldMissingOrNotANumber_BadCosignatureNotACrash()
    {
        var (_, file) = await CosignedHistoryAsync();
        var clear = _owner.Events[3].Clear;
        clear["treeSize"] = "three";
        var notANumber = await CliRun.RunAsync("verify", _owner.WriteTo(_folder, "nan.jsonl"), "--public-key", OwnerKey, "--witness", Path.Combine(WitnessFolder, WitnessCommands.VerifierKeyFile));
        clear.Remove("treeSize");
        var missing = await CliRun.RunAsync("verify", _owner.WriteTo(_folder, "missing.jsonl"), "--public-key", OwnerKey, "--witness", Path.Combine(WitnessFolder, WitnessCommands.VerifierKeyFile));

        Assert.StartsWith("FAILED: BadCosignature", notANumber.Out, StringComparison.Ordinal);
        Assert.StartsWith("FAILED: BadCosignature", missing.Out, StringComparison.Ordinal);
        Assert.Contains("treeSize", missing.Out, StringComparison.Ordinal);
        _ = file;
    }

    [Fact]
    public async Task Cosign_RewrittenHistory_RefusedByTheWitnessStateNamingTheSequence()
    {
        var (key, _) = await CosignedHistoryAsync();
        _owner.Events.RemoveAt(1);

        var (run, file) = await CosignAsync(_owner.WriteTo(_folder, "rewritten.jsonl"), key);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Null(file);
        Assert.Contains("REFUSED", run.Out, StringComparison.Ordinal);
        Assert.Contains($"ledger {_owner.LedgerId}, sequence 3: Diverges against the head this witness cosigned at sequence 3", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosign_RolledBackHistory_Refused()
    {
        var (key, _) = await CosignedHistoryAsync();
        _owner.Events.RemoveRange(2, 3);

        var (run, _) = await CosignAsync(_owner.WriteTo(_folder, "short.jsonl"), key);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.Contains("sequence 3: Truncated against the head this witness cosigned at sequence 3", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosign_ExtendingHistory_CosignsTheNewHeadAndKeepsState()
    {
        var (key, _) = await CosignedHistoryAsync();

        var (run, file) = await CosignAsync(_owner.WriteTo(_folder, "second.jsonl"), key);

        Assert.True(run.ExitCode == CliApp.Ok, run.Out);
        Assert.Equal(5, Assert.Single(file!.Cosignatures!).TreeSize);
        Assert.Contains("\"treeSize\": 5", File.ReadAllText(Path.Combine(WitnessFolder, WitnessCommands.StateFile)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosign_WrongPracticeKey_RefusedBeforeSigning()
    {
        var key = await InitAsync();
        using var other = new BundleForge();

        var run = await CliRun.RunAsync("witness", "cosign", other.WriteTo(_folder, "other.jsonl"), "--key", key, "--practice", Practice, "--public-key", OwnerKey);

        Assert.Equal(CliApp.VerificationFailed, run.ExitCode);
        Assert.StartsWith("REFUSED: the bundle does not verify", run.Out, StringComparison.Ordinal);
    }
}
