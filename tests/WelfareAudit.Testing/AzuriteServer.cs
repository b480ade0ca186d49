using System.Diagnostics;
using System.Text;

namespace WelfareAudit.Testing;

/// <summary>
/// A real Azurite table service (the Azure Storage emulator from npm, pinned in package.json) started
/// on a free loopback port with in-memory persistence, or its blob service (<see cref="StartBlobAsync"/>, the
/// same package). If Azurite is not installed the start FAILS with a message saying how to install it: tests
/// that need storage never skip.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The well-known development account of the storage emulator (public, not a secret).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private readonly string _service;

    private AzuriteServer(Process process, int port, StringBuilder output, string service)
    {
        _process = process;
        Port = port;
        _output = output;
        _service = service;
    }

    public int Port { get; }

    public string TableEndpoint => $"http://127.0.0.1:{Port}/{AccountName}";

    /// <summary>The blob endpoint, when this is the blob service (<see cref="StartBlobAsync"/>).</summary>
    public string BlobEndpoint => $"http://127.0.0.1:{Port}/{AccountName}";

    /// <summary>A connection string naming this service's endpoint (TableEndpoint or BlobEndpoint).</summary>
    public string ConnectionString => _service == Blob
        ? $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};"
        : $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint};";

    private const string Table = "table";
    private const string Blob = "blob";

    public bool IsRunning => !_process.HasExited;

    public static string ExecutablePath(string service = Table)
    {
        var configured = Environment.GetEnvironmentVariable("AZURITE_" + service.ToUpperInvariant());
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        return Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-" + service);
    }

    /// <summary>Starts the table service.</summary>
    public static Task<AzuriteServer> StartAsync(int? port = null) => StartAsync(Table, port);

    /// <summary>Starts the blob service (<c>azurite-blob</c>, the same npm package), for the anchored checkpoints.</summary>
    public static Task<AzuriteServer> StartBlobAsync(int? port = null) => StartAsync(Blob, port);

    private static async Task<AzuriteServer> StartAsync(string service, int? port)
    {
        var exe = ExecutablePath(service);
        if (!File.Exists(exe))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed (looked for {exe}). Install it from the lockfile with `npm ci` in {RepositoryRoot.Path} " +
                $"(or set AZURITE_{service.ToUpperInvariant()} to an azurite-{service} executable). Tests that need storage run against the real emulator and do not skip.");
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var chosen = port ?? FreePort.Next();
            var output = new StringBuilder();
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepositoryRoot.Path,
            };
            foreach (var arg in new[] { $"--{service}Host", "127.0.0.1", $"--{service}Port", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture),
                         "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry", "--silent" })
            {
                psi.ArgumentList.Add(arg);
            }
            var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + exe);
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            // A start-up guard, not a timing assertion: generous, because scripts/test.sh runs every test assembly at
            // once; an Azurite that exits (its port was taken since) ends the wait at once and the next port is tried.
            if (await FreePort.WaitForListenerAsync(chosen, TimeSpan.FromSeconds(120), () => !process.HasExited))
            {
                return new AzuriteServer(process, chosen, output, service);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
            lock (output)
            {
                last = new InvalidOperationException($"Azurite did not start on port {chosen}: {output}");
            }
            if (port is not null)
            {
                break;
            }
        }
        throw last!;
    }

    /// <summary>Kills the emulator (for fault-injection tests); in-memory data is lost.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    public override string ToString()
    {
        lock (_output)
        {
            return $"Azurite {_service} on {TableEndpoint}: {_output}";
        }
    }
}
