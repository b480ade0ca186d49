using System.Diagnostics;
using System.Reflection;

namespace WelfareAudit.Deployment.Tests.Support;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64, which restoring this project
/// downloads. Tests run the real compiler and linter; when the CLI is missing they fail, naming where they looked.
/// </summary>
public static class BicepCli
{
    private const string PackageId = "azure.bicep.commandline.linux-x64";

    public static string Version { get; } = Metadata("BicepCliVersion") ?? throw new InvalidOperationException("The test assembly lacks its BicepCliVersion metadata.");

    public static string Locate()
    {
        var roots = new[]
        {
            Metadata("NuGetPackageRoot"),
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        var candidates = roots
            .Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => Path.Combine(r!, PackageId, Version, "tools", "bicep"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var bicep = candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            $"The Bicep CLI {Version} is missing. Looked at: {string.Join(", ", candidates)}. " +
            "Restore tests/WelfareAudit.Deployment.Tests (its PackageDownload of Azure.Bicep.CommandLine.linux-x64 brings it) or run infra/build.sh.");
        // A package extracted without its execute bit (some NuGet versions, some file systems) is still usable.
        // The package is the linux-x64 CLI: these tests run on Linux only.
        if (OperatingSystem.IsLinux() && File.GetUnixFileMode(bicep) is var mode && !mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(bicep, mode | UnixFileMode.UserExecute);
        }
        return bicep;
    }

    public static BicepRun Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WelfareAudit.Testing.RepositoryRoot.Path,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Bicep CLI.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 3 minutes.");
        }
        return new BicepRun(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string? Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value ? value : null;
}

/// <summary>One run of the CLI. Bicep reports diagnostics ("path(line,col) : Warning rule: ...") on stderr.</summary>
public sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<string> Diagnostics =>
        (StandardOutput + "\n" + StandardError)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains(" : Error ", StringComparison.Ordinal) || l.Contains(" : Warning ", StringComparison.Ordinal))
            .ToList();
}
