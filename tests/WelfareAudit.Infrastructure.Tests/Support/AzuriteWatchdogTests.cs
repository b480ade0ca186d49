using System.Diagnostics;
using System.Globalization;
using WelfareAudit.Testing;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>
/// The test support's promise that no Azurite outlives the test process that started it, even when that process is
/// killed before its exit handlers run (the test platform ends a test host that way). A shell stands in for the test
/// process: it starts Azurite with the watchdog the support uses, and is then killed with SIGKILL.
/// </summary>
public sealed class AzuriteWatchdogTests
{
    [Fact]
    public async Task Azurite_WhenItsParentIsKilled_EndsItself()
    {
        var exe = AzuriteServer.ExecutablePath();
        Assert.True(File.Exists(exe), $"Azurite is required at {exe} (npm ci); the test does not skip.");
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("\"$0\" --tableHost 127.0.0.1 --tablePort \"$1\" --inMemoryPersistence --silent --disableTelemetry >/dev/null 2>&1 & echo $!; wait");
        psi.ArgumentList.Add(exe);
        psi.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        psi.Environment["NODE_OPTIONS"] = AzuriteServer.WatchdogNodeOptions;

        using var parent = Process.Start(psi) ?? throw new InvalidOperationException("Could not start /bin/sh");
        var azurite = int.Parse(await parent.StandardOutput.ReadLineAsync() ?? "", CultureInfo.InvariantCulture);
        try
        {
            Assert.True(await FreePort.WaitForListenerAsync(port, TimeSpan.FromSeconds(120), () => IsRunning(azurite)),
                $"Azurite (pid {azurite}) did not start listening on {port}.");

            parent.Kill(entireProcessTree: false);

            // A guard, not a timing assertion: the watchdog looks twice a second; a minute is ample on a busy machine.
            var waited = Stopwatch.StartNew();
            while (IsRunning(azurite) && waited.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(100);
            }
            Assert.False(IsRunning(azurite), $"Azurite (pid {azurite}) outlived its killed parent by a minute: the watchdog did not end it.");
        }
        finally
        {
            if (IsRunning(azurite))
            {
                try
                {
                    using var leftover = Process.GetProcessById(azurite);
                    leftover.Kill();
                }
                catch (ArgumentException)
                {
                    // Ended between the check and the kill.
                }
            }
        }
    }

    /// <summary>Alive and not a zombie (an orphan's exit may never be reaped in a container whose init does not reap).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
