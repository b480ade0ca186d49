using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using WelfareAudit.Core.Audit;
using WelfareAudit.Infrastructure.Crypto;

namespace WelfareAudit.Cli.Tests;

/// <summary><c>welfare-audit keys init|rotate</c> against an in-memory SecretClient (its methods are virtual for this).</summary>
public class KeysCommandTests
{
    private const string Vault = "https://test-vault.vault.azure.net/";

    private readonly VaultDouble _vault = new();

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
        Assert.DoesNotContain(_vault.Latest("welfareaudit-signing-key"), run.Out, StringComparison.Ordinal);
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
    public async Task KeysRotate_Signing_AddsAVersionOfThatKeyOnly_AndTheNewKeySigns()
    {
        await RunAsync("keys", "init", "--vault", Vault);

        var run = await RunAsync("keys", "rotate", "--vault", Vault, "--purpose", "signing");

        Assert.Equal(CliApp.Ok, run.ExitCode);
        Assert.Equal(2, _vault.Versions("welfareaudit-signing-key"));
        Assert.Equal(1, _vault.Versions("welfareaudit-data-key"));
        var ring = new KeyVaultKeyRing(_vault, new KeyVaultKeyRingOptions(), TimeProvider.System);
        using var key = await new KeyRingSigningKeys(ring).GetCurrentAsync(default);
        using var publicKey = CheckpointStatement.ImportPublicKey(key.PublicKeyPem);
        var statement = CheckpointStatement.Encode("ledger", 1, new string('a', 64), DateTimeOffset.UnixEpoch);
        Assert.True(CheckpointStatement.Verify(publicKey, statement, key.SignBase64(statement)));
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

    private sealed class VaultDouble : SecretClient
    {
        private readonly Dictionary<string, List<KeyVaultSecret>> _secrets = new(StringComparer.Ordinal);

        public int? FailWith { get; set; }

        public IEnumerable<string> Names => _secrets.Keys;

        public int Versions(string name) => _secrets[name].Count;

        public string Latest(string name) => _secrets[name][^1].Value;

        public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default)
        {
            Fail();
            var secret = _secrets.TryGetValue(name, out var list) ? (version is null ? list[^1] : list.Find(s => s.Properties.Version == version)) : null;
            return secret is null
                ? throw new RequestFailedException(404, "Secret not found")
                : Task.FromResult(Response.FromValue(secret, new Ok()));
        }

        public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version, SecretContentType? outContentType, CancellationToken cancellationToken = default) =>
            GetSecretAsync(name, version, cancellationToken);

        public override Task<Response<KeyVaultSecret>> SetSecretAsync(KeyVaultSecret secret, CancellationToken cancellationToken = default)
        {
            Fail();
            var version = Guid.NewGuid().ToString("N");
            var properties = SecretModelFactory.SecretProperties(new Uri($"{Vault}secrets/{secret.Name}/{version}"), new Uri(Vault), secret.Name, version);
            var stored = SecretModelFactory.KeyVaultSecret(properties, secret.Value);
            if (!_secrets.TryGetValue(secret.Name, out var list))
            {
                _secrets[secret.Name] = list = [];
            }
            list.Add(stored);
            return Task.FromResult(Response.FromValue(stored, new Ok()));
        }

        private void Fail()
        {
            if (FailWith is { } status)
            {
                throw new RequestFailedException(status, $"Injected failure {status}");
            }
        }
    }

    private sealed class Ok : Response
    {
        public override int Status => 200;

        public override string ReasonPhrase => "OK";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = "";

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
