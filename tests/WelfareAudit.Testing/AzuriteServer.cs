using System.Diagnostics;
using System.Text;

namespace WelfareAudit.Testing;

/// <summary>
/// A real Azurite table service (the Azure Storage emulator from npm, pinned in package.json) started
/// on a free loopback port with in-memory persistence, or its blob service (<see cref="StartBlobAsync"/>, the
/// same package). If Azurite is not installed the start FAILS with a message saying how to install it: tests
/// that need storage never skip.
/// <para>
/// Most tests take the test process's shared pair (<see cref="SharedAsync"/>, <see cref="SharedBlobAsync"/>): each
/// start costs about 2.8 s of CPU (Node loading Azurite's modules), and the suite started 29 of them when every
/// fixture had its own. A test on the shared pair isolates itself by a table or container name no other test
/// uses (<see cref="AzuriteFixture.NewTableName"/>); a test that must own the emulator starts its own.
/// </para>
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

    private static readonly Lazy<Task<AzuriteServer>> SharedTable = new(() => StartSharedAsync(Table));
    private static readonly Lazy<Task<AzuriteServer>> SharedBlob = new(() => StartSharedAsync(Blob));

    private static readonly Lazy<string> ParentWatchdog = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"welfareaudit-azurite-watchdog-{Environment.ProcessId}.js");
        File.WriteAllText(path,
            "const parent = process.ppid;\n" +
            "setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 500).unref();\n");
        return path;
    });

    /// <summary>The <c>NODE_OPTIONS</c> every Azurite starts with: preload the watchdog that ends it with its parent.</summary>
    public static string WatchdogNodeOptions => $"--require \"{ParentWatchdog.Value}\"";

    /// <summary>True for the test process's shared servers: disposing one leaves it running, and it cannot be stopped.</summary>
    public bool IsShared { get; private set; }

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

    /// <summary>False once the process has exited or this (own) server was disposed.</summary>
    public bool IsRunning => !_disposed && !_process.HasExited;

    private bool _disposed;

    public static string ExecutablePath(string service = Table)
    {
        var configured = Environment.GetEnvironmentVariable("AZURITE_" + service.ToUpperInvariant());
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        return Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-" + service);
    }

    /// <summary>
    /// The table service this test process shares: started on first use, killed when the process exits. Isolate
    /// by table name; never stop it (a fault test that needs an emulator of its own calls <see cref="StartAsync(int?)"/>).
    /// </summary>
    public static Task<AzuriteServer> SharedAsync() => SharedTable.Value;

    /// <summary>The blob service this test process shares (see <see cref="SharedAsync"/>); isolate by container name.</summary>
    public static Task<AzuriteServer> SharedBlobAsync() => SharedBlob.Value;

    private static async Task<AzuriteServer> StartSharedAsync(string service)
    {
        var server = await StartAsync(service, null);
        server.IsShared = true;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();
        return server;
    }

    /// <summary>Starts a table service of the caller's own.</summary>
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
            // Azurite ends with this process even when it is killed before its exit handlers run (the test
            // platform ends a test host that way): the preloaded watchdog exits when Node's parent changes.
            psi.Environment["NODE_OPTIONS"] = WatchdogNodeOptions;
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

    /// <summary>Kills the emulator (for fault-injection tests); in-memory data is lost. Not for a shared server.</summary>
    public async Task StopAsync()
    {
        if (IsShared)
        {
            throw new InvalidOperationException("The shared Azurite serves every test of this process and cannot be stopped: start an Azurite of your own.");
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>Stops a server of the caller's own; leaves a shared one running for the rest of the process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsShared)
        {
            return;
        }
        await StopAsync();
        _disposed = true;
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
