using System.Runtime.Versioning;
using Azure.Core;
using WelfareAudit.Testing;

namespace WelfareAudit.Cli.Tests;

/// <summary>
/// <c>--credential azd</c>: the azd postprovision hook creates the keys as the account azd signed in with, in the
/// deployment's tenant (AZURE_TENANT_ID), not as whoever the Azure CLI happens to be signed in as.
/// </summary>
public sealed class KeysCredentialTests
{
    private const string Vault = "https://test-vault.vault.azure.net/";
    private const string Tenant = "7e57a11d-0000-4000-8000-00000000000a";

    [Fact]
    [UnsupportedOSPlatform("windows")] // the credential runs azd through /bin/sh there
    public async Task KeysInit_CredentialAzd_AsksAzdForAVaultTokenInAzureTenantId()
    {
        // AzureDeveloperCliCredential runs `azd auth token ...` through /bin/sh: an azd first on PATH that records
        // its arguments stands in for the real one (which cannot be installed or signed in here).
        var directory = Directory.CreateTempSubdirectory("welfare-audit-azd-").FullName;
        var log = Path.Combine(directory, "arguments");
        var azd = Path.Combine(directory, "azd");
        File.WriteAllText(azd, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{log}'\nprintf '{{\"token\":\"vault-token\",\"expiresOn\":\"2099-01-01T00:00:00Z\"}}'\n");
        File.SetUnixFileMode(azd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Environment.GetEnvironmentVariable("PATH");
        var tenant = Environment.GetEnvironmentVariable("AZURE_TENANT_ID");
        Environment.SetEnvironmentVariable("PATH", $"{directory}:{path}");
        Environment.SetEnvironmentVariable("AZURE_TENANT_ID", Tenant);
        try
        {
            var vault = new InMemorySecretClient();
            TokenCredential? credential = null;
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();

            var code = await CliApp.RunAsync(["keys", "init", "--vault", Vault, "--credential", "azd"], stdout, stderr, CancellationToken.None,
                (_, c) => { credential = c; return vault; });

            Assert.True(code == CliApp.Ok, stderr.ToString());
            var token = await credential!.GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/.default"]), CancellationToken.None);
            Assert.Equal("vault-token", token.Token);
            var arguments = File.ReadAllLines(log);
            Assert.Equal(["auth", "token"], arguments.Take(2));
            Assert.Equal(Tenant, arguments[Array.IndexOf(arguments, "--tenant-id") + 1]);
            Assert.Equal("https://vault.azure.net/.default", arguments[Array.IndexOf(arguments, "--scope") + 1]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Environment.SetEnvironmentVariable("AZURE_TENANT_ID", tenant);
            Directory.Delete(directory, recursive: true);
        }
    }
}
