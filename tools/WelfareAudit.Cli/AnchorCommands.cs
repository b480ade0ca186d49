using System.CommandLine;
using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using WelfareAudit.Core.Anchors;
using WelfareAudit.Core.Audit;
using WelfareAudit.Core.Ledger;
using WelfareAudit.Infrastructure.Storage;

namespace WelfareAudit.Cli;

/// <summary>
/// The anchored checkpoints for a board (docs/ledger-format.md §14, docs/audit.md "Anchors"): <c>anchors pull</c> copies
/// every anchor blob of the WORM container into a folder with read-only access (a SAS or Entra ID), and
/// <c>verify BUNDLE --anchors DIR</c> checks a bundle against that folder offline.
/// </summary>
internal static class AnchorCommands
{
    /// <summary>Exit code: the container refused or could not be reached.</summary>
    public const int StorageError = 4;

    public static Command Create()
    {
        var container = new Option<string>("--container") { Description = "The container's URL (https://{account}.blob.core.windows.net/checkpoints), or a SAS URL.", Required = true };
        var sas = new Option<string?>("--sas") { Description = "A SAS token with read and list permission on the container (instead of signing in)." };
        var credential = new Option<string?>("--credential") { Description = "Without a SAS: azure-cli (default), azd or managed-identity (Storage Blob Data Reader on the container)." };
        var ledger = new Option<string?>("--ledger") { Description = "Only this ledger's anchors (for a bundle exported for one therapist)." };
        var output = new Option<string>("--out") { Description = "The folder to copy the anchors into; blobs already there are left alone.", Required = true };
        var pull = new Command("pull", "Copies every anchored checkpoint of the container into a folder (read-only; run it again to add the new ones).")
        {
            container, sas, credential, ledger, output,
        };
        pull.SetAction((p, ct) => PullAsync(p.GetValue(container)!, p.GetValue(sas), p.GetValue(credential), p.GetValue(ledger), p.GetValue(output)!,
            p.InvocationConfiguration.Output, p.InvocationConfiguration.Error, ct));
        return new Command("anchors", "The anchored checkpoints in the practice's WORM container.") { pull };
    }

    private static async Task<int> PullAsync(string containerUrl, string? sas, string? credentialName, string? ledger, string folder,
        TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!Uri.TryCreate(containerUrl, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            return Usage(stderr, "--container must be the container's https URL (http only for an emulator on this machine).");
        }
        if (ledger is not null && !LedgerIds.IsValid(ledger))
        {
            return Usage(stderr, "--ledger must be a ledger id (1-128 letters, digits, '-', '_' or '.').");
        }
        BlobContainerClient client;
        if (sas is not null || uri.Query.Length > 1)
        {
            if (sas is not null && uri.Query.Length > 1)
            {
                return Usage(stderr, "give the SAS either in --container's URL or as --sas, not both.");
            }
            client = sas is null ? new BlobContainerClient(uri) : new BlobContainerClient(uri, new AzureSasCredential(sas.TrimStart('?')));
        }
        else
        {
            if (uri.Scheme != Uri.UriSchemeHttps)
            {
                return Usage(stderr, "signing in (Entra ID) needs the container's https URL.");
            }
            TokenCredential? signIn = (credentialName ?? "azure-cli") switch
            {
                "azure-cli" => new AzureCliCredential(),
                "azd" => new AzureDeveloperCliCredential(),
                "managed-identity" => new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned),
                _ => null,
            };
            if (signIn is null)
            {
                return Usage(stderr, "--credential must be azure-cli, azd or managed-identity.");
            }
            client = new BlobContainerClient(uri, signIn);
        }

        var anchors = new BlobCheckpointAnchors(client, createContainer: false);
        int pulled = 0, present = 0, ignored = 0;
        try
        {
            Directory.CreateDirectory(folder);
            await foreach (var name in anchors.ListAsync(ledger is null ? "" : AnchorName.Prefix(ledger), ct))
            {
                // Blob names come from outside: only an anchor's exact name becomes a path (no "..", no rooted path).
                if (!AnchorName.TryParse(name, out _))
                {
                    stderr.WriteLine($"welfare-audit: ignored blob '{TerminalText.Escape(name)}': not an anchor's name.");
                    ignored++;
                    continue;
                }
                var path = Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar));
                if (File.Exists(path))
                {
                    present++; // blobs are immutable: a copy already taken stays as it is (verify checks it)
                    continue;
                }
                var content = await anchors.ReadAsync(name, ct);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var temporary = path + ".partial";
                await File.WriteAllBytesAsync(temporary, content, ct);
                File.Move(temporary, path, overwrite: false);
                pulled++;
            }
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException)
        {
            stderr.WriteLine("welfare-audit: the container refused or could not be reached: " + TerminalText.Escape(e.Message.Split('\n')[0]));
            return StorageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"welfare-audit: cannot write to '{TerminalText.Escape(folder)}': {TerminalText.Escape(e.Message)}");
            return CliApp.UsageError;
        }
        stdout.WriteLine($"Pulled {N(pulled)} new anchor(s); {N(present)} were already in the folder; {N(ignored)} blob(s) ignored.");
        if (pulled + present == 0)
        {
            stdout.WriteLine("WARNING: no anchored checkpoint was found. Check the container URL and that the practice's deployment writes anchors (docs/operations.md).");
        }
        return CliApp.Ok;
    }

    /// <summary><c>verify BUNDLE --anchors DIR</c>, after the bundle itself has verified: its comparison with the anchors in the folder.</summary>
    public static async Task<int> VerifyAgainstAsync(string bundlePath, BundleVerification verified, string folder, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!Directory.Exists(folder))
        {
            return Usage(stderr, $"the anchors folder '{folder}' does not exist (welfare-audit anchors pull --out <folder>).");
        }
        var files = new List<AnchorFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            var length = new FileInfo(path).Length;
            files.Add(new AnchorFile(name, length > CheckpointAnchor.MaxBytes ? [] : await File.ReadAllBytesAsync(path, ct)));
        }
        BundleAnchorReport report;
        await using (var bundle = BundleFile.Open(bundlePath))
        {
            report = await BundleAnchorCheck.CheckAsync(bundle, verified, files, ct);
        }
        foreach (var group in report.Skipped.GroupBy(s => s.Reason, StringComparer.Ordinal))
        {
            stdout.WriteLine($"  anchors not compared: {N(group.Count())} ({TerminalText.Escape(group.Key)}), e.g. {TerminalText.Escape(group.First().Name)}");
        }
        if (report.UncheckedSignatures.Count > 0)
        {
            stdout.WriteLine($"  anchors compared without checking their signature: {N(report.UncheckedSignatures.Count)} (signed with a key the bundle does not carry), e.g. {TerminalText.Escape(report.UncheckedSignatures[0])}");
        }
        foreach (var f in report.Findings)
        {
            stdout.WriteLine($"FAILED: {f.Kind}");
            stdout.WriteLine($"  where: ledger {TerminalText.Escape(f.LedgerId)}, sequence {f.Sequence?.ToString(CultureInfo.InvariantCulture)}, anchor {TerminalText.Escape(f.Anchor)}");
            stdout.WriteLine($"  detail: {TerminalText.Escape(f.Detail)}");
        }
        if (!report.Ok)
        {
            return CliApp.VerificationFailed;
        }
        stdout.WriteLine(report.Compared == 0
            ? "WARNING: no anchored checkpoint could be compared with this bundle (--anchors): the anchors do not cover it."
            : $"ANCHORS OK: the bundle agrees with {N(report.Compared)} anchored checkpoint(s) in the folder (no fork, rollback or missing ledger).");
        return CliApp.Ok;
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine("welfare-audit: " + TerminalText.Escape(message));
        return CliApp.UsageError;
    }
}
