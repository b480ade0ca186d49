using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using WelfareAudit.Core.Audit;
using WelfareAudit.Infrastructure.Crypto;

using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary><c>welfare-audit keys init|rotate</c> against an in-memory SecretClient (its methods are virtual for this).</summary>
public class KeysCommandTests
{
    private const string Vault = "https://test-vault.vault.azure.net/";

    private readonly InMemorySecretClient _vault = new();

    private async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None, (_, _) => _vault);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task KeysInit_EmptyVault_CreatesDataIndexAndSigningSecrets()
    {
        var run = await RunAsync("keys", "init", "--vault", Vault);

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Equal(["welfareaudit-data-key", "welfareaudit-index-key", "welfareaudit-signing-key"], _vault.Names.Order(StringComparer.Ordinal));
        Assert.All(_vault.Names, n => Assert.Equal(1, _vault.Versions(n)));
        Assert.DoesNotContain(_vault.Latest("welfareaudit-signing-key")!, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysInit_Twice_LeavesExistingSecretsAlone()
    {
        await RunAsync("keys", "init", "--vault", Vault, "--prefix", "practice1");

        var run = await RunAsync("keys", "init", "--vault", Vault, "--prefix", "practice1");

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.All(_vault.Names, n => Assert.Equal(1, _vault.Versions(n)));
        Assert.Contains("practice1-signing-key: exists", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRotate_WithoutTableEndpoint_UsageErrorAndTheVaultIsUntouched()
    {
        // The ledgers record every rotation (KeysRotateLedgerTests): without the table, nothing is rotated.
        await RunAsync("keys", "init", "--vault", Vault);

        var run = await RunAsync("keys", "rotate", "--vault", Vault, "--purpose", "signing");

        Assert.Equal(CliApp.UsageError, run.ExitCode);
        Assert.Contains("--table-endpoint", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, _vault.Versions("welfareaudit-signing-key"));
    }

    [Theory]
    [InlineData("keys", "init", "--vault", "http://insecure.example")]
    [InlineData("keys", "init")]
    [InlineData("keys", "rotate", "--vault", Vault, "--purpose", "everything")]
    [InlineData("keys", "init", "--vault", Vault, "--credential", "default")]
    public async Task Keys_BadArguments_UsageError(params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(CliApp.UsageError, run.ExitCode);
        Assert.Empty(_vault.Names);
    }

    [Fact]
    public async Task KeysInit_VaultRefuses_VaultErrorNamed()
    {
        _vault.FailWith = 403;

        var run = await RunAsync("keys", "init", "--vault", Vault);

        Assert.Equal(CliApp.VaultError, run.ExitCode);
        Assert.Contains("403", run.Error, StringComparison.Ordinal);
    }
}
