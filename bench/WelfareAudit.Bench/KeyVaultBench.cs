using System.Text;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WelfareAudit.Infrastructure.Crypto;
using WelfareAudit.Testing;
using static WelfareAudit.Bench.Shared;

namespace WelfareAudit.Bench;

/// <summary>
/// Key Vault secret reads per 1,000 requests at steady state. The local host runs with the product's own
/// Key Vault registration (WelfareAudit:Keys:VaultUri set, so <see cref="KeyVaultKeyRing"/> is built by
/// AddWelfareAuditInfrastructure) over a counting in-memory SecretClient. After a warm-up, N times:
/// POST /api/searches (blind index + encrypt + append) then GET /api/searches/{id} (decrypt); reads counted.
/// Two clocks: the real one (N pairs take seconds), and a fake one advanced so the same N pairs are
/// spread over one hour, which shows the reads that the refresh of the current key costs over time.
/// </summary>
internal static class KeyVaultBench
{
    public static async Task<int> RunAsync(int pairs)
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var real = await MeasureAsync(azurite, pairs, null);
        var fake = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var hour = await MeasureAsync(azurite, pairs, fake);
        await WriteResultAsync("keyvault.json", new
        {
            scenario = "keyvault",
            machine = Machine(),
            loadAverage = LoadAverage(),
            steady = real,
            overOneHour = hour,
        });
        return 0;
    }

    private static async Task<object> MeasureAsync(AzuriteServer azurite, int pairs, FakeTimeProvider? fake)
    {
        var vault = new InMemorySecretClient();
        const string prefix = "welfareaudit";
        foreach (var purpose in new[] { "data", "index", "signing" })
        {
            vault.AddVersion($"{prefix}-{purpose}-key");
        }
        var port = FreePort.Next();
        var host = WelfareAudit.LocalHost.LocalHostApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["WelfareAudit:Storage:ConnectionString"] = azurite.ConnectionString,
            ["WelfareAudit:Storage:TableName"] = fake is null ? "benchkv" : "benchkvhour",
            ["WelfareAudit:Keys:VaultUri"] = "https://bench-vault.vault.azure.net/",
            ["WelfareAudit:Keys:SecretNamePrefix"] = prefix,
            // LocalHostApp fills in a local key file unless VaultUri is set on its command line; blank it here.
            ["WelfareAudit:Keys:LocalKeyFile"] = "",
            ["WelfareAudit:LocalHost:RunSchedules"] = "false",
            ["WelfareAudit:RateLimits:Writes:PermitLimit"] = "1000000", // a benchmark, not a human
            ["Logging:LogLevel:Default"] = "Warning",
        }, builder =>
        {
            builder.Services.AddSingleton<SecretClient>(vault);
            if (fake is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(fake);
            }
        });
        await host.StartAsync();
        var ring = host.Services.GetRequiredService<IKeyRing>();
        if (ring is not KeyVaultKeyRing)
        {
            throw new InvalidOperationException($"The host built {ring.GetType().Name}, not KeyVaultKeyRing.");
        }
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            http.DefaultRequestHeaders.Add(WelfareAudit.Http.Identity.ClientPrincipal.HeaderName,
                WelfareAudit.Http.Identity.ClientPrincipal.Encode("bench-therapist", WelfareAudit.Core.Identity.Role.Therapist));
            var step = TimeSpan.FromHours(1) / pairs;

            async Task PairAsync(bool measured)
            {
                var now = (fake ?? TimeProvider.System).GetUtcNow();
                var body = PostBody(Entry(now), now);
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/searches") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                using var created = await http.SendAsync(request);
                if (created.StatusCode != System.Net.HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"POST /api/searches answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
                }
                using var read = await http.GetAsync(created.Headers.Location);
                read.EnsureSuccessStatusCode();
                if (measured)
                {
                    fake?.Advance(step);
                }
            }

            for (var i = 0; i < 50; i++)
            {
                await PairAsync(measured: false);
            }
            var warmReads = vault.TotalReads;
            vault.ResetCounts();
            for (var i = 0; i < pairs; i++)
            {
                await PairAsync(measured: true);
            }
            var reads = vault.TotalReads;
            Console.Error.WriteLine($"{(fake is null ? "real clock" : "one hour")}: {reads} reads for {pairs} POST + {pairs} GET (warm-up {warmReads})");
            return new
            {
                clock = fake is null ? "real" : "fake, the pairs spread over one hour",
                requests = pairs * 2,
                posts = pairs,
                gets = pairs,
                warmUpReads = warmReads,
                reads,
                readsPer1000Requests = reads * 1000.0 / (pairs * 2),
                simulatedSeconds = fake is null ? (double?)null : 3600,
                readsBySecret = vault.ReadsBySecret(),
            };
        }
        finally
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }
}
