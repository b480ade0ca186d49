using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WelfareAudit.Testing;

/// <summary>
/// A real SMTP server for tests: smtp4dev (a dotnet tool, installed by scripts/test.sh into .tools/),
/// started on free loopback ports with an in-memory database, read back through its REST API. If it is
/// not installed the start FAILS with a message saying how to install it: email tests never skip.
/// </summary>
public sealed class Smtp4devServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _api;

    private Smtp4devServer(Process process, int smtpPort, int webPort, StringBuilder output)
    {
        _process = process;
        SmtpPort = smtpPort;
        WebPort = webPort;
        _output = output;
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    public static string ExecutablePath() =>
        Environment.GetEnvironmentVariable("SMTP4DEV") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot.Path, ".tools", "smtp4dev");

    public static async Task<Smtp4devServer> StartAsync(int? smtpPort = null)
    {
        var exe = ExecutablePath();
        if (!File.Exists(exe))
        {
            throw new InvalidOperationException(
                $"smtp4dev is not installed (looked for {exe}). Install it with `dotnet tool install --tool-path .tools Rnwood.Smtp4dev --version 3.15.0` " +
                $"in {RepositoryRoot.Path} (scripts/test.sh does this), or set SMTP4DEV. Email tests use a real SMTP server and do not skip.");
        }
        var smtp = smtpPort ?? FreePort.Next();
        var web = FreePort.Next();
        var output = new StringBuilder();
        var data = Directory.CreateTempSubdirectory("wa-smtp4dev-").FullName;
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = data,
        };
        foreach (var arg in new[]
                 {
                     $"--urls=http://127.0.0.1:{web}", $"--smtpport={smtp.ToString(CultureInfo.InvariantCulture)}", "--imapport=0", "--pop3port=0",
                     "--db=", "--bindaddress=127.0.0.1", "--hostname=localhost", "--nousersettings", $"--baseappdatapath={data}", "--messagestokeep=1000",
                 })
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["XDG_CONFIG_HOME"] = data;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + exe);
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new Smtp4devServer(process, smtp, web, output);
        // A start-up guard, not a timing assertion: generous, because scripts/test.sh runs every test assembly at
        // once and on a busy machine this .NET app can take a minute to listen; a process that exits ends it at once.
        if (await FreePort.WaitForListenerAsync(web, TimeSpan.FromSeconds(180), () => !process.HasExited) &&
            await FreePort.WaitForListenerAsync(smtp, TimeSpan.FromSeconds(30), () => !process.HasExited))
        {
            return server;
        }
        var log = server.ToString();
        await server.DisposeAsync();
        throw new InvalidOperationException("smtp4dev did not start: " + log);
    }

    /// <summary>Every message received so far.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MessagesAsync()
    {
        using var doc = JsonDocument.Parse(await _api.GetStringAsync("api/messages?pageSize=1000"));
        var list = new List<ReceivedMail>();
        foreach (var m in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            var id = m.GetProperty("id").GetString()!;
            var source = await _api.GetStringAsync($"api/messages/{id}/source");
            list.Add(new ReceivedMail(id, m.GetProperty("subject").GetString() ?? "", m.GetProperty("to").EnumerateArray().Select(t => t.GetString()!).ToList(), source));
        }
        return list;
    }

    public async Task ClearAsync() => (await _api.DeleteAsync("api/messages/*")).EnsureSuccessStatusCode();

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
        _api.Dispose();
    }

    public override string ToString()
    {
        lock (_output)
        {
            return $"smtp4dev smtp:{SmtpPort} web:{WebPort}: {_output}";
        }
    }
}

/// <summary>A message as smtp4dev received it; <see cref="Source"/> is the raw RFC 5322 text.</summary>
public sealed record ReceivedMail(string Id, string Subject, IReadOnlyList<string> To, string Source);
