using System.CommandLine;
using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Infrastructure.Storage;

namespace WelfareAudit.Cli;

/// <summary>
/// <c>welfare-audit</c>. Exit codes: 0 success; 1 the bundle failed verification (the first problem is
/// named on stdout), or disagrees with the anchors; 2 usage or I/O error; 3 Key Vault refused or could not be reached;
/// 4 the anchor container refused or could not be reached; 5 a key was rotated but a ledger could not record it (named on stderr).
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int VerificationFailed = 1;
    public const int UsageError = 2;
    public const int VaultError = 3;
    public const int LedgerError = 5;

    private const string Usage = """
        usage:
          welfare-audit verify <bundle.jsonl> [--public-key <key.pem>] [--extends <earlier.jsonl> [--extends-public-key <key.pem>]]
                               [--anchors <folder>] [--witness <witness.vkey|witness.pem>]
              Verifies an audit bundle offline. Give the practice's public key (GET /api/audit/signing-key,
              obtained separately from the bundle) so that a bundle re-signed with another key is refused.
              --extends: also proves that the bundle contains an earlier export's history unchanged.
              --anchors: also checks the bundle against the anchored checkpoints in the folder: a fork, rollback or missing ledger fails.
              --witness: every ledger must carry a cosignature by that witness, each agreeing with the chain.
          welfare-audit anchors pull --container <url> [--sas <token> | --credential azure-cli|azd|managed-identity] [--ledger <id>] --out <folder>
              Copies every anchored checkpoint of the practice's WORM container into the folder (read-only; idempotent).
          welfare-audit witness init --out <folder> [--name <key name>]
              Creates a witness key pair on the witness's own machine (never the practice's).
          welfare-audit witness cosign <bundle.jsonl> --key <witness.key> --practice <name> [--public-key <key.pem>] [--state <folder>] [--out <file>]
              Verifies the bundle, checks it extends what this witness cosigned before, writes the cosignatures to upload.
          welfare-audit keys init   --vault <https://name.vault.azure.net> [--prefix welfareaudit] [--credential azure-cli|azd|managed-identity]
              Creates the data, index and signing keys (as Key Vault secrets) that do not exist yet.
              azd: the account `azd auth login` signed in, in the tenant AZURE_TENANT_ID when it is set.
          welfare-audit keys rotate --vault <uri> --purpose data|index|signing|all --table-endpoint <https://account.table.core.windows.net>
                                    [--table-name WelfareAuditLedger] [--prefix ...] [--credential ...]
              Adds a new version of the key(s); older versions stay readable. Appends a KeyRotated event (with a signing
              key's public key) to every ledger of the table.
        """;

    /// <summary>Runs the CLI in-process (tests call this); <paramref name="secretClients"/> replaces the Key Vault client factory.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken,
        Func<Uri, TokenCredential, SecretClient>? secretClients = null, Func<Uri, TokenCredential, TableServiceClient>? tableClients = null, TimeProvider? time = null)
    {
        // No response files: a bundle named "@x" is a file name, not a list of arguments.
        var parsed = Commands(secretClients, tableClients, time ?? TimeProvider.System).Parse(args is ["help"] ? ["--help"] : args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            return Fail(stderr, string.Join(" ", parsed.Errors.Select(e => e.Message)));
        }
        try
        {
            // Our exit codes, not the library's: an exception is not "verification failed" (1).
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            }, cancellationToken);
        }
        catch (UsageException u)
        {
            return Fail(stderr, u.Message);
        }
    }

    /// <summary>The commands (docs/architecture.md: a new CLI command is one more <see cref="Command"/> here, with its action).</summary>
    private static RootCommand Commands(Func<Uri, TokenCredential, SecretClient>? secretClients, Func<Uri, TokenCredential, TableServiceClient>? tableClients, TimeProvider time)
    {
        var bundle = new Argument<string>("bundle") { Description = "The bundle file (JSON lines)." };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "The practice's public key (PEM, GET /api/audit/signing-key), obtained separately from the bundle, so that a bundle re-signed with another key is refused.",
        };
        var anchorsDir = new Option<string?>("--anchors")
        {
            Description = "A folder of anchored checkpoints (welfare-audit anchors pull): the bundle must agree with each (no fork, rollback or missing ledger).",
        };
        var witness = new Option<string?>("--witness")
        {
            Description = "A witness's public key (witness.vkey or witness.pem): every ledger must carry a cosignature by it, each agreeing with the chain.",
        };
        var extends = new Option<string?>("--extends")
        {
            Description = "An earlier export of the same practice, kept since: refuse unless this bundle contains its history unchanged (docs/ledger-format.md §16).",
        };
        var extendsKey = new Option<string?>("--extends-public-key")
        {
            Description = "The public key the earlier export was verified with (default: the --public-key), when the signing key was rotated since.",
        };
        var verify = new Command("verify", "Verifies an audit bundle offline.") { bundle, publicKey, extends, extendsKey, anchorsDir, witness };
        verify.SetAction((p, ct) => VerifyAsync(p.GetValue(bundle)!, p.GetValue(publicKey), (p.GetValue(extends), p.GetValue(extendsKey)), p.GetValue(anchorsDir), p.GetValue(witness),
            p.InvocationConfiguration.Output, p.InvocationConfiguration.Error, ct));

        var vault = new Option<string?>("--vault") { Description = "The vault's https URI (https://name.vault.azure.net)." };
        var prefix = new Option<string?>("--prefix") { Description = "Secret name prefix (default welfareaudit)." };
        var credential = new Option<string?>("--credential") { Description = "azure-cli (default) or managed-identity." };
        var purpose = new Option<string?>("--purpose") { Description = "data, index, signing or all (required)." };
        var init = new Command("init", "Creates the data, index and signing keys (as Key Vault secrets) that do not exist yet.") { vault, prefix, credential };
        var tableEndpoint = new Option<string?>("--table-endpoint") { Description = "The ledger table's service (https://account.table.core.windows.net): every ledger records the rotation (required)." };
        var tableName = new Option<string?>("--table-name") { Description = "The ledger table (default WelfareAuditLedger, the app setting WelfareAudit__Storage__TableName)." };
        var rotate = new Command("rotate", "Adds a new version of the key(s); older versions stay readable; every ledger records it.") { vault, prefix, credential, purpose, tableEndpoint, tableName };
        foreach (var (command, isRotate) in new[] { (init, false), (rotate, true) })
        {
            command.SetAction((p, ct) => KeysAsync(isRotate, new KeysOptions(p.GetValue(vault), p.GetValue(prefix), p.GetValue(credential), isRotate ? p.GetValue(purpose) : null,
                p.GetValue(tableEndpoint), p.GetValue(tableName)), p.InvocationConfiguration.Output, p.InvocationConfiguration.Error, (secretClients, tableClients), ct));
        }
        var keys = new Command("keys", "Creates and rotates the data, index and signing keys in Key Vault.") { init, rotate };
        return new RootCommand("welfare-audit: the offline verifier of audit bundles, and Key Vault key bootstrap and rotation.") { verify, keys, AnchorCommands.Create(), WitnessCommands.Build(time) };
    }

    private sealed record KeysOptions(string? Vault, string? Prefix, string? Credential, string? Purpose, string? TableEndpoint = null, string? TableName = null);

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("welfare-audit: " + TerminalText.Escape(message));
        stderr.WriteLine(Usage);
        return UsageError;
    }

    private static async Task<int> VerifyAsync(string path, string? keyPath, (string? Bundle, string? KeyPath) earlier, string? anchorsDir, string? witnessPath, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var pinned = keyPath is null ? null : ReadText(keyPath, "public key");
        if (earlier.KeyPath is not null && earlier.Bundle is null)
        {
            throw new UsageException("--extends-public-key needs --extends.");
        }
        var earlierPinned = earlier.KeyPath is null ? pinned : ReadText(earlier.KeyPath, "public key of the earlier export");
        Stream file;
        try
        {
            file = BundleFile.Open(path);
        }
        catch (UsageException e)
        {
            stderr.WriteLine("welfare-audit: " + TerminalText.Escape(e.Message));
            return UsageError;
        }
        BundleVerification result;
        await using (file)
        {
            result = await AuditBundleVerifier.VerifyAsync(file, pinned,
                n => stderr.WriteLine($"verified {n.ToString("N0", CultureInfo.InvariantCulture)} events..."), ct);
        }

        // The verdict line is the CLI's own words and numbers only; everything the file said follows, escaped.
        if (!result.Ok)
        {
            stdout.WriteLine($"FAILED: {result.Problem!.Kind}");
            BundleProblemText.Write(stdout, result);
            return VerificationFailed;
        }
        // --extends: the earlier export must verify too, and the verdict covers the comparison (§16).
        var extension = earlier.Bundle is null ? null : await ExtendsCheck.RunAsync(path, earlier.Bundle, earlierPinned, stderr, ct);
        if (extension is { Extension: null })
        {
            stdout.WriteLine($"FAILED: {extension.Old.Problem!.Kind}");
            stdout.WriteLine("  in: the earlier export (--extends); the new bundle itself verifies.");
            BundleProblemText.Write(stdout, extension.Old);
            return VerificationFailed;
        }
        if (extension?.Extension is { Ok: false } refused)
        {
            ExtendsCheck.WriteRefusal(stdout, refused);
            return VerificationFailed;
        }
        IReadOnlyList<string> witnessLines = [];
        if (witnessPath is not null)
        {
            var (failed, lines) = await WitnessCommands.CheckAsync(path, witnessPath, stdout, ct);
            if (failed is { } code)
            {
                return code;
            }
            witnessLines = lines;
        }
        stdout.WriteLine($"OK: {result.Events.ToString(CultureInfo.InvariantCulture)} events in {result.Ledgers.Count.ToString(CultureInfo.InvariantCulture)} ledger(s) verified.");
        stdout.WriteLine($"  exported {Text(result.GeneratedAt)} by {TerminalText.Escape(result.GeneratedBy)}, manifest signed with key {TerminalText.Escape(result.ManifestKeyId)}.");
        stdout.WriteLine(pinned is null
            ? "WARNING: no --public-key was given, so the bundle was checked against the key it carries itself. Obtain the practice's public key separately and verify again with --public-key."
            : "The signing key is the public key given (--public-key).");
        if (result.ClientIndexes is { } client)
        {
            stdout.WriteLine($"  client accounting: discloses the events of one client only (blind index {string.Join(", ", client.Select(TerminalText.Escape))}); every other event's fields are withheld.");
        }
        foreach (var x in result.ExcludedLedgers)
        {
            stdout.WriteLine($"WARNING: the export left out ledger {TerminalText.Escape(x.LedgerId)}: it failed verification in storage at sequence {x.Sequence.ToString(CultureInfo.InvariantCulture)} ({TerminalText.Escape(x.Kind)}).");
        }
        foreach (var l in result.Ledgers)
        {
            stdout.WriteLine($"  ledger {TerminalText.Escape(l.LedgerId)}: events {l.FirstSequence}..{l.LastSequence} ({l.Events} events, {l.InRange} in range), " +
                $"anchored on {TerminalText.Escape(l.Anchor)}, head signed at {Text(l.CheckpointSignedAt)} (key {TerminalText.Escape(l.CheckpointKeyId)}), {l.CheckpointsInChain} earlier checkpoint(s) in the chain verified.");
        }
        foreach (var line in witnessLines)
        {
            stdout.WriteLine(line);
        }
        if (extension?.Extension is { } extended)
        {
            stdout.WriteLine($"EXTENDS: the bundle contains the earlier export's history unchanged (exported {Text(extension.Old.GeneratedAt)}), in each of its {extension.Old.Ledgers.Count.ToString(CultureInfo.InvariantCulture)} ledger(s).");
            ExtendsCheck.WriteLedgers(stdout, extended);
        }
        return anchorsDir is null ? Ok : await AnchorCommands.VerifyAgainstAsync(path, result, anchorsDir, stdout, stderr, ct);
    }

    private static async Task<int> KeysAsync(bool rotate, KeysOptions options, TextWriter stdout, TextWriter stderr,
        (Func<Uri, TokenCredential, SecretClient>? Secrets, Func<Uri, TokenCredential, TableServiceClient>? Tables) clients, CancellationToken ct)
    {
        if (!Uri.TryCreate(options.Vault, UriKind.Absolute, out var vault) || vault.Scheme != Uri.UriSchemeHttps)
        {
            throw new UsageException("--vault must be the vault's https URI.");
        }
        // The ledgers record a rotation (docs/ledger-format.md §17): checked before the vault is touched.
        Uri? tables = null;
        if (rotate && (!Uri.TryCreate(options.TableEndpoint, UriKind.Absolute, out tables) || tables.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException("keys rotate needs --table-endpoint, the ledger table's https service URI (https://account.table.core.windows.net): every ledger records the rotation.");
        }
        TokenCredential credential = (options.Credential ?? "azure-cli") switch
        {
            "azure-cli" => new AzureCliCredential(),
            // The account `azd auth login` signed in (the postprovision hook), in the deployment's tenant.
            "azd" => new AzureDeveloperCliCredential(new AzureDeveloperCliCredentialOptions { TenantId = Environment.GetEnvironmentVariable("AZURE_TENANT_ID") is { Length: > 0 } tenant ? tenant : null }),
            "managed-identity" => new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned),
            _ => throw new UsageException("--credential must be azure-cli, azd or managed-identity (there is deliberately no fallback from one to another)."),
        };
        // Rotating the index key splits every client's history into two groups, so nothing is rotated
        // by default: the purpose must be named.
        if (rotate && options.Purpose is null)
        {
            throw new UsageException("keys rotate needs --purpose data, index, signing or all.");
        }
        KeyPurpose[] purposes = (options.Purpose ?? "all") switch
        {
            "all" => Enum.GetValues<KeyPurpose>(),
            "data" => [KeyPurpose.Data],
            "index" => [KeyPurpose.Index],
            "signing" => [KeyPurpose.Signing],
            _ => throw new UsageException("--purpose must be data, index, signing or all."),
        };

        var client = (clients.Secrets ?? ((uri, cred) => new SecretClient(uri, cred)))(vault, credential);
        var rotated = new List<KeyRotated>();
        var ring = new KeyVaultKeyRing(client, new KeyVaultKeyRingOptions { SecretNamePrefix = options.Prefix ?? "welfareaudit" }, TimeProvider.System);
        try
        {
            foreach (var purpose in purposes)
            {
                var name = ring.SecretName(purpose);
                if (!rotate)
                {
                    try
                    {
                        var existing = await client.GetSecretAsync(name, version: null, ct);
                        stdout.WriteLine($"{TerminalText.Escape(name)}: exists (version {TerminalText.Escape(existing.Value.Properties.Version)}), left as it is.");
                        continue;
                    }
                    catch (RequestFailedException e) when (e.Status == 404)
                    {
                        // Absent: created below.
                    }
                }
                var created = await ring.RotateAsync(purpose, ct);
                stdout.WriteLine($"{TerminalText.Escape(name)}: {(rotate ? "rotated, new" : "created,")} version {TerminalText.Escape(created.KeyId)}.");
                rotated.Add(KeyRotationAnnouncement.EventFor(purpose, created));
            }
        }
        catch (Exception e) when (e is KeyUnavailableException or RequestFailedException or AuthenticationFailedException or CredentialUnavailableException)
        {
            stderr.WriteLine("welfare-audit: " + TerminalText.Escape(e.Message));
            return VaultError;
        }
        if (rotate)
        {
            stdout.WriteLine("Older versions stay readable.");
            var service = (clients.Tables ?? ((uri, cred) => new TableServiceClient(uri, cred)))(tables!, credential);
            var ledger = new TableLedger(service.GetTableClient(options.TableName ?? "WelfareAuditLedger"), ring, TimeProvider.System, new LedgerOptions(), NullLogger<TableLedger>.Instance);
            var (count, failed) = await KeyRotationAnnouncement.AppendAsync(ledger, rotated, stderr, ct);
            stdout.WriteLine($"KeyRotated appended to {(count - failed.Count).ToString(CultureInfo.InvariantCulture)} of {count.ToString(CultureInfo.InvariantCulture)} ledger(s).");
            if (failed.Count > 0)
            {
                stderr.WriteLine("welfare-audit: the keys were rotated but the ledgers named above do not record it: a verifier reports their checkpoints signed by a new signing key as UnannouncedKey until a KeyRotated event for it is appended (docs/ledger-format.md §17).");
                return LedgerError;
            }
        }
        return Ok;
    }

    internal static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the {what} '{path}': {e.Message}");
        }
    }

    private static string Text(DateTimeOffset? at) => at is null ? "(unknown)" : Timestamps.ToText(at.Value);

    internal sealed class UsageException(string message) : Exception(message);
}
