using System.Collections.Concurrent;
using System.Diagnostics;
using WelfareAudit.Testing;
using Xunit.Abstractions;

namespace WelfareAudit.LocalHost.Tests;

/// <summary>
/// The real local host process (<c>WelfareAudit.LocalHost.dll</c>, as <c>scripts/run.sh</c> starts it) with
/// one bad setting: it must refuse to start, name the setting, and never print the value (a connection
/// string, a password or a URL may be a secret). A host that starts anyway would answer 500 to every
/// request instead.
/// </summary>
public class StartupSettingsTests(ITestOutputHelper output)
{
    /// <summary>In every bad value; must not appear in anything the process prints.</summary>
    private const string Secret = "Zq7Secret";

    private const string StartedLine = "WelfareAudit local host: open";

    /// <summary>A case: the environment variables it sets and the setting the refusal must name.</summary>
    private sealed record BadSetting(string Named, params (string Variable, string Value)[] Environment);

    private static readonly (string Variable, string Value)[] SmtpConfigured =
    [
        ("WelfareAudit__Reminders__Smtp__Host", "127.0.0.1"),
        ("WelfareAudit__Reminders__Smtp__From", "welfareaudit@practice.test"),
        ("WelfareAudit__Reminders__DefaultTherapistEmail", "therapist@practice.test"),
        ("WelfareAudit__Reminders__SupervisorEmails__0", "supervisor@practice.test"),
    ];

    private static readonly Dictionary<string, BadSetting> Cases = new(StringComparer.Ordinal)
    {
        ["connection string: no key=value"] = new("WelfareAudit:Storage:ConnectionString", ("WelfareAudit__Storage__ConnectionString", Secret + "-not-a-connection-string")),
        ["connection string: keyword without value"] = new("WelfareAudit:Storage:ConnectionString", ("WelfareAudit__Storage__ConnectionString", "AccountName=" + Secret + ";AccountKey")),
        ["connection string: account key not base64"] = new("WelfareAudit:Storage:ConnectionString",
            ("WelfareAudit__Storage__ConnectionString", "DefaultEndpointsProtocol=https;AccountName=zq7account;AccountKey=" + Secret + "!!;EndpointSuffix=core.windows.net")),
        ["connection string: no account"] = new("WelfareAudit:Storage:ConnectionString", ("WelfareAudit__Storage__ConnectionString", "DefaultEndpointsProtocol=https;EndpointSuffix=" + Secret)),
        ["table service URI: not https"] = new("WelfareAudit:Storage:TableServiceUri",
            ("WelfareAudit__Storage__TableServiceUri", "http://" + Secret + ".table.core.windows.net"), ("WelfareAudit__Storage__ConnectionString", "")),
        ["operation timeout: not a time span"] = new("WelfareAudit:Storage:OperationTimeout", ("WelfareAudit__Storage__OperationTimeout", Secret)),
        ["max append attempts: not a number"] = new("WelfareAudit:Storage:MaxAppendAttempts", ("WelfareAudit__Storage__MaxAppendAttempts", "6" + Secret)),
        ["key vault URI: unparsable"] = new("WelfareAudit:Keys:VaultUri", ("WelfareAudit__Keys__VaultUri", "https://[" + Secret + "]:99999/")),
        ["key vault URI: relative"] = new("WelfareAudit:Keys:VaultUri", ("WelfareAudit__Keys__VaultUri", Secret + ".vault.azure.net")),
        ["key refresh interval: not a time span"] = new("WelfareAudit:Keys:CurrentKeyRefreshInterval", ("WelfareAudit__Keys__CurrentKeyRefreshInterval", Secret)),
        ["credential: unknown"] = new("WelfareAudit:Identity:Credential", ("WelfareAudit__Identity__Credential", Secret)),
        ["SMTP port: not a number"] = new("WelfareAudit:Reminders:Smtp:Port", [.. SmtpConfigured, ("WelfareAudit__Reminders__Smtp__Port", Secret)]),
        ["SMTP port: out of range"] = new("WelfareAudit:Reminders:Smtp:Port", [.. SmtpConfigured, ("WelfareAudit__Reminders__Smtp__Port", "70123")]),
        ["SMTP security: unknown"] = new("WelfareAudit:Reminders:Smtp:Security", [.. SmtpConfigured, ("WelfareAudit__Reminders__Smtp__Security", Secret)]),
        ["reminder schedule: not NCRONTAB"] = new("REMINDER_SCHEDULE", ("REMINDER_SCHEDULE", "0 */15 * " + Secret + " * *")),
        ["checkpoint schedule: field out of range"] = new("CHECKPOINT_SCHEDULE", ("CHECKPOINT_SCHEDULE", "0 5 0 * 13 * " + Secret)),
        ["policy: unknown time zone"] = new("WelfareAudit:Reminders:Policy:TimeZone", ("WelfareAudit__Reminders__Policy__TimeZone", "Europe/" + Secret)),
        ["policy: escalation not a number"] = new("WelfareAudit:Reminders:Policy:EscalateAfterDays", ("WelfareAudit__Reminders__Policy__EscalateAfterDays", Secret)),
        ["policy: morning not a time"] = new("WelfareAudit:Reminders:Policy:SessionMorningAt", ("WelfareAudit__Reminders__Policy__SessionMorningAt", Secret)),
        ["webhook URL: not https"] = new("WelfareAudit:Reminders:Webhook:Url", ("WelfareAudit__Reminders__Webhook__Url", "ftp://" + Secret + ".example/hook")),
        ["phone link: unparsable"] = new("WelfareAudit:Reminders:PhoneLink", ("WelfareAudit__Reminders__PhoneLink", "https://[" + Secret + "]/")),
        ["delivery attempts: not a number"] = new("WelfareAudit:Reminders:Delivery:Attempts", ("WelfareAudit__Reminders__Delivery__Attempts", Secret)),
        ["checkpoint container URI: not https"] = new("WelfareAudit:Checkpoints:ContainerUri", ("WelfareAudit__Checkpoints__ContainerUri", "http://" + Secret + ".blob.core.windows.net/checkpoints")),
        ["checkpoint container URI: no container"] = new("WelfareAudit:Checkpoints:ContainerUri", ("WelfareAudit__Checkpoints__ContainerUri", "https://" + Secret + ".blob.core.windows.net/")),
        ["checkpoint container: URI and connection string"] = new("WelfareAudit:Checkpoints:ContainerUri",
            ("WelfareAudit__Checkpoints__ContainerUri", "https://zq7.blob.core.windows.net/checkpoints"), ("WelfareAudit__Checkpoints__ConnectionString", "UseDevelopmentStorage=true;" + Secret)),
        ["checkpoint connection string: no key=value"] = new("WelfareAudit:Checkpoints:ConnectionString", ("WelfareAudit__Checkpoints__ConnectionString", Secret + "-not-a-connection-string")),
        ["audit overdue days: not a number"] = new("WelfareAudit:Audit:OverdueAfterDays", ("WelfareAudit__Audit__OverdueAfterDays", Secret)),
    };

    public static TheoryData<string> BadSettings() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task LocalHostProcess_BadSetting_RefusesToStartNamingItWithoutItsValue(string name)
    {
        // Arrange
        var bad = Cases[name];
        var folder = Directory.CreateTempSubdirectory("wa-start-").FullName;
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WelfareAudit.LocalHost.dll"));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("WelfareAudit", StringComparison.OrdinalIgnoreCase) || k.EndsWith("_SCHEDULE", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["urls"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["WelfareAudit__Keys__LocalKeyFile"] = Path.Combine(folder, "keys.json");
        foreach (var (variable, value) in bad.Environment)
        {
            start.Environment[variable] = value;
        }
        if (bad.Environment.Any(e => e.Variable == "WelfareAudit__Keys__VaultUri"))
        {
            start.Environment.Remove("WelfareAudit__Keys__LocalKeyFile");
        }

        // Act: run until it exits, or until it says it serves (then stop it: it should not have started).
        var lines = new ConcurrentQueue<string>();
        var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }
            lines.Enqueue(line);
            if (line.Contains(StartedLine, StringComparison.Ordinal))
            {
                served.TrySetResult();
            }
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exited = process.WaitForExitAsync(guard.Token);
        await Task.WhenAny(exited, served.Task);
        var started = served.Task.IsCompleted;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync(CancellationToken.None);
        var text = string.Join("\n", lines);
        output.WriteLine(text);

        // Assert
        Assert.False(started, $"{name}: the local host started with the bad setting");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(bad.Named, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("70123", text, StringComparison.Ordinal);
    }

    /// <summary>The dotnet host that runs this test (the SDK sets DOTNET_HOST_PATH for the processes it starts).</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
