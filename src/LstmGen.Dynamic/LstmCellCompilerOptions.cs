using System;
using System.IO;

namespace LstmGen.Dynamic;

/// <summary>Where <see cref="LstmCellCompiler"/> keeps compiled cells on disk.</summary>
public sealed record LstmCellCompilerOptions
{
    /// <summary>The environment variable that overrides the default cache folder.</summary>
    public const string CacheDirectoryVariable = "LSTMGEN_CACHE_DIR";

    /// <summary>
    /// The cache folder; null means <see cref="DefaultCacheDirectory"/>. Compiled cells go into its <c>cells</c>
    /// subfolder; deleting that folder clears the cache (the next run compiles again).
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Whether to read and write the disk cache at all (default true; the per-process cache is always on).</summary>
    public bool UseDiskCache { get; init; } = true;

    /// <summary>
    /// <c>$LSTMGEN_CACHE_DIR</c> if set; otherwise <c>$XDG_CACHE_HOME/lstmgen</c>, or <c>~/.cache/lstmgen</c> on Linux and
    /// macOS and <c>%LOCALAPPDATA%\lstmgen</c> on Windows.
    /// </summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            var explicitFolder = Environment.GetEnvironmentVariable(CacheDirectoryVariable);
            if (!string.IsNullOrWhiteSpace(explicitFolder)) return Path.GetFullPath(explicitFolder);
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "lstmgen");
            if (OperatingSystem.IsWindows())
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "lstmgen");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lstmgen");
        }
    }
}
