using System;
using System.IO;

namespace LstmGen.Tests;

/// <summary>Locations in the source tree, found by walking up from the test binary to LstmGen.sln.</summary>
internal static class Paths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string GoldenFolder => Path.Combine(RepositoryRoot, "specs", "golden");

    /// <summary>The first 100 KB of tinyshakespeare, carried in the repository (see samples/data/README.md).</summary>
    public static string Shakespeare100K => Path.Combine(RepositoryRoot, "samples", "data", "tinyshakespeare-100k.txt");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LstmGen.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"LstmGen.sln not found above {AppContext.BaseDirectory}.");
    }
}
