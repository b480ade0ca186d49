namespace WelfareAudit.Cli;

/// <summary>Opens a bundle file for one sequential read; a file that cannot be opened is a usage error naming it.</summary>
internal static class BundleFile
{
    public static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliApp.UsageException($"cannot read the bundle '{path}': {e.Message}");
        }
    }
}
