using System;
using System.IO;
using LstmGen.Dynamic;
using NUnit.Framework;

namespace LstmGen.Cli.Tests;

/// <summary>Run-time cells the tests compile go to a temporary cache folder, never the user's ~/.cache/lstmgen.</summary>
[SetUpFixture]
public sealed class CellCacheFolder
{
    private string? _folder;
    private string? _saved;

    [OneTimeSetUp]
    public void Redirect()
    {
        _saved = Environment.GetEnvironmentVariable(LstmCellCompilerOptions.CacheDirectoryVariable);
        _folder = Path.Combine(Path.GetTempPath(), "lstmgen-cli-tests-cache-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable(LstmCellCompilerOptions.CacheDirectoryVariable, _folder);
        Assert.That(LstmCellCompiler.Shared.CacheDirectory, Does.StartWith(_folder), "the shared compiler was created before the redirect");
    }

    [OneTimeTearDown]
    public void Restore()
    {
        Environment.SetEnvironmentVariable(LstmCellCompilerOptions.CacheDirectoryVariable, _saved);
        try { if (_folder is not null) Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
