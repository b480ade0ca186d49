namespace WelfareAudit.Testing;

/// <summary>Finds the repository root (the folder holding WelfareAudit.sln) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "WelfareAudit.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find WelfareAudit.sln above " + AppContext.BaseDirectory);
    }
}
