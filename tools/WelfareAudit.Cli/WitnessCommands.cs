using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Core.Witness;

namespace WelfareAudit.Cli;

/// <summary>
/// <c>welfare-audit witness init|cosign</c> and the <c>verify --witness</c> check (docs/audit.md, "Witness"):
/// the witness runs on the supervisor's or the board's machine, never the practice's.
/// </summary>
internal static class WitnessCommands
{
    public const string PrivateKeyFile = "witness.key";
    public const string VerifierKeyFile = "witness.vkey";
    public const string PemFile = "witness.pem";
    public const string StateFile = "witness-state.json";

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Build(TimeProvider time)
    {
        var outDir = new Option<string?>("--out") { Description = "The folder to create the key pair in (it must not hold a witness key yet)." };
        var name = new Option<string?>("--name") { Description = "The witness's key name, a schema-less URL such as board.example/witness (default welfare-audit.witness/local)." };
        var init = new Command("init", "Creates a witness key pair: the private key (owner-only file) and the public key (C2SP verifier key and PEM).") { outDir, name };
        init.SetAction(p => Init(p.GetValue(outDir), p.GetValue(name), p.InvocationConfiguration.Output));

        var bundle = new Argument<string>("bundle") { Description = "The bundle to cosign (a full export: every ledger from sequence 1)." };
        var key = new Option<string?>("--key") { Description = "The witness's private key file (witness.key)." };
        var practice = new Option<string?>("--practice") { Description = "The name this witness gives the practice, used in each checkpoint's origin ({practice}/welfare-audit/{ledger}); the same every time." };
        var publicKey = new Option<string?>("--public-key") { Description = "The practice's public signing key (PEM), obtained separately." };
        var state = new Option<string?>("--state") { Description = "The witness's state folder (default: the private key's folder)." };
        var output = new Option<string?>("--out") { Description = "The cosignature file to write (default: BUNDLE.cosignatures.json)." };
        var cosign = new Command("cosign", "Verifies a bundle, checks it extends what this witness cosigned before, and cosigns each ledger's checkpoint.") { bundle, key, practice, publicKey, state, output };
        cosign.SetAction((p, ct) => CosignAsync(p.GetValue(bundle)!, p.GetValue(key), p.GetValue(practice), p.GetValue(publicKey), p.GetValue(state), p.GetValue(output),
            time, p.InvocationConfiguration.Output, p.InvocationConfiguration.Error, ct));

        return new Command("witness", "A witness the practice does not control: create its key, cosign bundles.") { init, cosign };
    }

    private static int Init(string? folder, string? name, TextWriter stdout)
    {
        if (folder is null)
        {
            throw new CliApp.UsageException("witness init needs --out <folder>.");
        }
        name ??= "welfare-audit.witness/local";
        if (!NoteVerifierKey.IsValidName(name))
        {
            throw new CliApp.UsageException("--name must be non-empty, without spaces, '+' or control characters.");
        }
        var privatePath = Path.Combine(folder, PrivateKeyFile);
        if (File.Exists(privatePath))
        {
            throw new CliApp.UsageException($"'{privatePath}' exists: a witness key is never overwritten.");
        }
        var key = WitnessSigningKey.Generate(name);
        try
        {
            Directory.CreateDirectory(folder);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(privatePath, System.Text.Encoding.ASCII, options))
            {
                writer.Write(key.ToText() + "\n");
            }
            File.WriteAllText(Path.Combine(folder, VerifierKeyFile), key.Public.ToText() + "\n");
            File.WriteAllText(Path.Combine(folder, PemFile), WitnessPublicKeyPem.Write(key.Public.PublicKey));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliApp.UsageException($"cannot write the witness key in '{folder}': {e.Message}");
        }
        stdout.WriteLine($"Witness key {TerminalText.Escape(key.Public.ToText())}");
        stdout.WriteLine($"  private key: {TerminalText.Escape(privatePath)} (readable by you only; keep it off the practice's machines)");
        stdout.WriteLine($"  public key:  {TerminalText.Escape(Path.Combine(folder, VerifierKeyFile))} (C2SP verifier key), {TerminalText.Escape(Path.Combine(folder, PemFile))} (PEM)");
        return CliApp.Ok;
    }

    private static async Task<int> CosignAsync(string bundlePath, string? keyPath, string? practice, string? publicKeyPath, string? stateFolder, string? outPath,
        TimeProvider time, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (keyPath is null || practice is null)
        {
            throw new CliApp.UsageException("witness cosign needs --key <witness.key> and --practice <name>.");
        }
        if (!WitnessOrigin.IsValidPractice(practice))
        {
            throw new CliApp.UsageException("--practice must be 1-200 ASCII letters, digits and . - _ / : (for example clinic.example).");
        }
        var key = WitnessSigningKey.TryParse(CliApp.ReadText(keyPath, "witness key"), out var keyError)
            ?? throw new CliApp.UsageException($"the witness key '{keyPath}' {keyError}.");
        var pinned = publicKeyPath is null ? null : CliApp.ReadText(publicKeyPath, "public key");
        var statePath = Path.Combine(stateFolder ?? Path.GetDirectoryName(Path.GetFullPath(keyPath))!, StateFile);
        var state = ReadState(statePath);

        var verification = await VerifyFileAsync(bundlePath, pinned, ct);
        if (!verification.Ok)
        {
            stdout.WriteLine($"REFUSED: the bundle does not verify ({verification.Problem!.Kind}); nothing was cosigned.");
            stdout.WriteLine($"  detail: {TerminalText.Escape(verification.Problem.Detail)}");
            return CliApp.VerificationFailed;
        }
        if (pinned is null)
        {
            stderr.WriteLine("WARNING: no --public-key was given, so the bundle was checked against the key it carries itself.");
        }
        CosignOutcome outcome;
        await using (var file = BundleFile.Open(bundlePath))
        {
            outcome = await WitnessCosigner.CosignAsync(file, key, practice, state, time.GetUtcNow().ToUnixTimeSeconds(), ct);
        }
        foreach (var origin in outcome.MissingOrigins)
        {
            stdout.WriteLine($"WARNING: {TerminalText.Escape(origin)} was cosigned before and is not in this bundle (a one-therapist export, or a ledger that is gone).");
        }
        if (outcome.File is null)
        {
            stdout.WriteLine("REFUSED: the bundle does not extend what this witness cosigned before; nothing was cosigned.");
            foreach (var r in outcome.Refusals)
            {
                stdout.WriteLine($"  ledger {TerminalText.Escape(r.LedgerId)}, sequence {r.Sequence.ToString(CultureInfo.InvariantCulture)}: {TerminalText.Escape(r.Reason)}");
            }
            return CliApp.VerificationFailed;
        }
        var output = outPath ?? bundlePath + ".cosignatures.json";
        try
        {
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(outcome.File, CosignatureFile.Json) + "\n", ct);
            WriteState(statePath, outcome.NewState);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliApp.UsageException($"cannot write '{output}' or the state '{statePath}': {e.Message}");
        }
        stdout.WriteLine($"OK: cosigned {outcome.File.Cosignatures!.Count.ToString(CultureInfo.InvariantCulture)} ledger(s) as {TerminalText.Escape(key.Public.ToText())}.");
        foreach (var c in outcome.File.Cosignatures)
        {
            stdout.WriteLine($"  {TerminalText.Escape(c.Origin!)}: {c.TreeSize!.Value.ToString(CultureInfo.InvariantCulture)} events, head {c.HeadHash}");
        }
        stdout.WriteLine($"Upload {TerminalText.Escape(output)} with POST /api/ledger/cosignatures (Supervisor), so the ledgers carry it.");
        return CliApp.Ok;
    }

    /// <summary>The <c>verify --witness</c> check, after the bundle verified; prints the verdict on failure, and the summary lines otherwise.</summary>
    public static async Task<(int? Failed, IReadOnlyList<string> Lines)> CheckAsync(string bundlePath, string witnessKeyPath, TextWriter stdout, CancellationToken ct)
    {
        var text = CliApp.ReadText(witnessKeyPath, "witness key");
        var vkey = NoteVerifierKey.TryParse(text.Trim(), out _);
        var publicKey = vkey?.PublicKey ?? WitnessPublicKeyPem.TryRead(text)
            ?? throw new CliApp.UsageException($"the witness key '{witnessKeyPath}' is neither a C2SP verifier key (witness.vkey) nor an Ed25519 PEM public key (witness.pem).");
        if (vkey is not null && vkey.Type != NoteVerifierKey.CosignatureV1Type)
        {
            throw new CliApp.UsageException($"the witness key '{witnessKeyPath}' is not a cosignature/v1 (type 04) key.");
        }
        var report = await WitnessBundleCheck.CheckAsync(() => BundleFile.Open(bundlePath), publicKey, vkey?.Name, ct);
        if (!report.Ok)
        {
            var p = report.Problem!;
            stdout.WriteLine($"FAILED: {p.Kind}");
            stdout.WriteLine($"  where: ledger {TerminalText.Escape(p.LedgerId)}{(p.Sequence is { } s ? $", sequence {s.ToString(CultureInfo.InvariantCulture)}" : "")}");
            stdout.WriteLine($"  detail: {TerminalText.Escape(p.Detail)}");
            return (CliApp.VerificationFailed, []);
        }
        var lines = new List<string>();
        var newest = report.NewestAt!.Value;
        lines.Add($"Witness: every ledger carries a cosignature by the witness key that agrees with the chain; the newest is from {Timestamps.ToText(newest)}, {Age(report.GeneratedAt - newest)} before the export.");
        foreach (var l in report.Ledgers)
        {
            lines.Add($"  ledger {TerminalText.Escape(l.LedgerId)}: {l.Cosignatures} cosignature(s), {l.Checked} checked against the chain" +
                (l.BeforePart > 0 ? $", {l.BeforePart} before this bundle's part (not checkable here)" : "") +
                $"; newest cosigned head: sequence {l.NewestTreeSize.ToString(CultureInfo.InvariantCulture)}, {Age(report.GeneratedAt - l.NewestAt)} before the export.");
        }
        return (null, lines);
    }

    private static string Age(TimeSpan age) =>
        age < TimeSpan.Zero ? "after (the export is older than the cosignature)"
        : age.TotalDays >= 1 ? $"{Math.Floor(age.TotalDays).ToString(CultureInfo.InvariantCulture)} day(s)"
        : $"{Math.Floor(age.TotalHours).ToString(CultureInfo.InvariantCulture)} hour(s)";

    private static async Task<BundleVerification> VerifyFileAsync(string path, string? pinned, CancellationToken ct)
    {
        await using var file = BundleFile.Open(path);
        return await AuditBundleVerifier.VerifyAsync(file, pinned, null, ct);
    }

    private static Dictionary<string, WitnessStateEntry> ReadState(string path)
    {
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }
        try
        {
            var state = JsonSerializer.Deserialize<Dictionary<string, WitnessStateEntry>>(File.ReadAllText(path), StateJson);
            return new(state ?? [], StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // Never start afresh silently: a witness without its state cannot notice a rewrite.
            throw new CliApp.UsageException($"cannot read the witness state '{path}': {e.Message}");
        }
    }

    /// <summary>Written to a temporary file and moved into place, so a crash leaves the old state or the new one.</summary>
    private static void WriteState(string path, IReadOnlyDictionary<string, WitnessStateEntry> state)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(), StateJson) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
