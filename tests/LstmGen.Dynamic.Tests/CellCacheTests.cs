using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;

namespace LstmGen.Dynamic.Tests;

/// <summary>The disk cache (hit without compiling, damaged files rebuilt) and the per-process cache under concurrency.</summary>
public class CellCacheTests
{
    private static readonly LstmCellSpec Spec = new(2, 3, LstmCellVariant.Standard with { Peephole = true });
    private TemporaryFolder _compiled = null!;

    /// <summary>Compiles <see cref="Spec"/> once into a folder that each test copies.</summary>
    [OneTimeSetUp]
    public void CompileOnce()
    {
        _compiled = new TemporaryFolder();
        var compiler = new LstmCellCompiler(new LstmCellCompilerOptions { CacheDirectory = _compiled.Path });
        compiler.GetCell(Spec);
        Assert.That(compiler.CompilationCount, Is.EqualTo(1));
        Assert.That(Directory.GetFiles(compiler.CacheDirectory, "*.lstmcell"), Has.Length.EqualTo(1), "one cache file written");
        Assert.That(Directory.GetFiles(compiler.CacheDirectory, "*.tmp"), Is.Empty, "no temporary file left behind");
    }

    [OneTimeTearDown]
    public void Delete() => _compiled.Dispose();

    [Test]
    public void AFreshCompiler_LoadsACachedCellFromDisk_WithoutCompiling()
    {
        using var folder = CopyOfCache();
        var compiler = new LstmCellCompiler(new LstmCellCompilerOptions { CacheDirectory = folder.Path });
        var compiling = 0;
        compiler.Compiling += _ => compiling++;
        var cell = compiler.GetCell(Spec);
        Assert.Multiple(() =>
        {
            Assert.That(compiler.CompilationCount, Is.EqualTo(0), "no compilation");
            Assert.That(compiling, Is.EqualTo(0), "no Compiling event");
            Assert.That(compiler.DiskLoadCount, Is.EqualTo(1));
            Assert.That(cell.Layout.Variant.Peephole, Is.True);
            Assert.That(compiler.GetCell(Spec), Is.SameAs(cell), "the second request comes from memory");
            Assert.That(compiler.DiskLoadCount, Is.EqualTo(1));
        });
    }

    [TestCase("flip a byte of the assembly")]
    [TestCase("truncate")]
    [TestCase("foreign content")]
    [TestCase("empty")]
    public void ADamagedCacheFile_IsIgnoredAndRebuilt(string damage)
    {
        using var folder = CopyOfCache();
        var compiler = new LstmCellCompiler(new LstmCellCompilerOptions { CacheDirectory = folder.Path });
        var file = Directory.GetFiles(compiler.CacheDirectory, "*.lstmcell").Single();
        var bytes = File.ReadAllBytes(file);
        var damaged = damage switch
        {
            "flip a byte of the assembly" => Flip(bytes, bytes.Length - 100),
            "truncate" => bytes[..(bytes.Length / 2)],
            "foreign content" => "MZ this is not a cell cache file"u8.ToArray(),
            _ => Array.Empty<byte>(),
        };
        File.WriteAllBytes(file, damaged);
        var cell = compiler.GetCell(Spec);
        Assert.Multiple(() =>
        {
            Assert.That(compiler.DiskLoadCount, Is.EqualTo(0), "the damaged file is not used");
            Assert.That(compiler.CompilationCount, Is.EqualTo(1), "the cell is compiled again");
            Assert.That(cell.ParameterCount, Is.EqualTo(4 * 3 * (2 + 3) + 8 * 3 + 3 * 3));
            Assert.That(File.ReadAllBytes(file), Is.EqualTo(bytes), "the file is rewritten with the same (deterministic) content");
        });
    }

    [Test]
    public void ParallelRequestsForOneSpec_CompileOnce_AndShareTheCell()
    {
        var compiler = new LstmCellCompiler(new LstmCellCompilerOptions { UseDiskCache = false });
        var spec = new LstmCellSpec(1, 2);
        var cells = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => compiler.GetCell(spec)))).GetAwaiter().GetResult();
        Assert.Multiple(() =>
        {
            Assert.That(compiler.CompilationCount, Is.EqualTo(1));
            Assert.That(cells.Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public void TheCacheFolder_FollowsTheOptionThenTheEnvironmentVariable()
    {
        using var folder = new TemporaryFolder();
        Assert.That(new LstmCellCompiler(new LstmCellCompilerOptions { CacheDirectory = folder.Path }).CacheDirectory,
            Is.EqualTo(Path.Combine(folder.Path, "cells")));
        var saved = Environment.GetEnvironmentVariable(LstmCellCompilerOptions.CacheDirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(LstmCellCompilerOptions.CacheDirectoryVariable, folder.Path);
            Assert.That(new LstmCellCompiler().CacheDirectory, Is.EqualTo(Path.Combine(folder.Path, "cells")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(LstmCellCompilerOptions.CacheDirectoryVariable, saved);
        }
    }

    private TemporaryFolder CopyOfCache()
    {
        var copy = new TemporaryFolder();
        var source = Path.Combine(_compiled.Path, "cells");
        Directory.CreateDirectory(Path.Combine(copy.Path, "cells"));
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(copy.Path, "cells", Path.GetFileName(file)));
        return copy;
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x5A;
        return copy;
    }
}
