using NUnit.Framework;

namespace LstmGen.Dynamic.Tests;

/// <summary>One compiler for the tests that only need cells (each spec compiled once per run), caching into a temporary folder, never the user's cache.</summary>
[SetUpFixture]
public sealed class SharedCompiler
{
    private static TemporaryFolder? _folder;
    private static LstmCellCompiler? _compiler;

    public static LstmCellCompiler Instance => _compiler!;

    [OneTimeSetUp]
    public void Create()
    {
        _folder = new TemporaryFolder();
        _compiler = new LstmCellCompiler(new LstmCellCompilerOptions { CacheDirectory = _folder.Path });
    }

    [OneTimeTearDown]
    public void Delete() => _folder?.Dispose();
}
