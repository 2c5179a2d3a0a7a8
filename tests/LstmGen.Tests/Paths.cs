using System;
using System.IO;

namespace LstmGen.Tests;

/// <summary>Locations in the source tree, found by walking up from the test binary to LstmGen.sln.</summary>
internal static class Paths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string GoldenFolder => Path.Combine(RepositoryRoot, "specs", "golden");

    /// <summary>The shared reference folder beside the repository (../shared).</summary>
    public static string SharedFolder => Path.Combine(RepositoryRoot, "..", "shared");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LstmGen.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"LstmGen.sln not found above {AppContext.BaseDirectory}.");
    }
}
