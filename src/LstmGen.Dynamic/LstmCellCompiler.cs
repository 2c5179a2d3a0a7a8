using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace LstmGen.Dynamic;

/// <summary>
/// Compiles cells at run time and caches them: per instance in memory (a spec is compiled or loaded once, also when
/// many threads ask for it at the same time) and on disk (see <see cref="LstmCellCompilerOptions"/>), so a later
/// process loads the assembly instead of compiling. <see cref="Shared"/> is the instance most programs need.
/// </summary>
/// <example>
/// <code>
/// var cell = LstmCellCompiler.Shared.GetCell(new LstmCellSpec(inputSize: 7, hiddenSize: 100));
/// var net = new LstmNetworkBuilder&lt;float&gt;().Lstm(cell).Linear(1).Build(seed: 1);
/// </code>
/// </example>
public sealed class LstmCellCompiler
{
    private static readonly Lazy<LstmCellCompiler> LazyShared = new(() => new LstmCellCompiler());
    private readonly ConcurrentDictionary<LstmCellSpec, Lazy<DynamicLstmCell>> _cells = new();
    private readonly CellDiskCache? _disk;
    private int _compilations;
    private int _diskLoads;

    /// <summary>A compiler with the given options (default: the disk cache in <see cref="LstmCellCompilerOptions.DefaultCacheDirectory"/>).</summary>
    public LstmCellCompiler(LstmCellCompilerOptions? options = null)
    {
        options ??= new LstmCellCompilerOptions();
        var folder = options.CacheDirectory is { Length: > 0 } chosen ? Path.GetFullPath(chosen) : LstmCellCompilerOptions.DefaultCacheDirectory;
        CacheDirectory = Path.Combine(folder, "cells");
        _disk = options.UseDiskCache ? new CellDiskCache(CacheDirectory) : null;
    }

    /// <summary>The process-wide compiler with the default options.</summary>
    public static LstmCellCompiler Shared => LazyShared.Value;

    /// <summary>The folder of the compiled cell files (used only when the disk cache is on).</summary>
    public string CacheDirectory { get; }

    /// <summary>How many cells this instance compiled with Roslyn (the rest came from memory or disk).</summary>
    public int CompilationCount => Volatile.Read(ref _compilations);

    /// <summary>How many cells this instance loaded from the disk cache.</summary>
    public int DiskLoadCount => Volatile.Read(ref _diskLoads);

    /// <summary>
    /// Raised (on the calling thread) just before a cell is compiled, i.e. when neither memory nor disk had it: the
    /// moment to show a "compiling…" status. Not raised for cached cells.
    /// </summary>
    public event Action<LstmCellSpec>? Compiling;

    /// <summary>The cell of <paramref name="inputSize"/> × <paramref name="hiddenSize"/> with <paramref name="variant"/> (default standard).</summary>
    public DynamicLstmCell GetCell(int inputSize, int hiddenSize, LstmCellVariant? variant = null)
        => GetCell(new LstmCellSpec(inputSize, hiddenSize, variant));

    /// <summary>The cell of <paramref name="spec"/>: from memory, else from disk, else compiled now (seconds).</summary>
    /// <exception cref="LstmCellCompilationException">The generator or the compiler reported an error; it carries the diagnostic's ID.</exception>
    public DynamicLstmCell GetCell(LstmCellSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var entry = _cells.GetOrAdd(spec, s => new Lazy<DynamicLstmCell>(() => Build(s), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            // A failure is not cached: the next call tries again (and throws the same diagnostic for a bad spec).
            _cells.TryRemove(new(spec, entry));
            throw;
        }
    }

    /// <summary>The generated cell type of <paramref name="spec"/> (implements <see cref="ILstmCell{TSelf}"/>), for generic code.</summary>
    public Type GetCellType(LstmCellSpec spec) => GetCell(spec).CellType;

    private DynamicLstmCell Build(LstmCellSpec spec)
    {
        var key = new CellCacheKey(spec);
        if (_disk?.TryRead(key) is { } cached && TryLoad(key, cached) is { } fromDisk)
        {
            Interlocked.Increment(ref _diskLoads);
            return fromDisk;
        }
        Compiling?.Invoke(spec);
        var bytes = CellSourceCompiler.Compile(spec, key.AssemblyName, CellCacheKey.Namespace, key.TypeName);
        Interlocked.Increment(ref _compilations);
        var cell = TryLoad(key, bytes) ?? throw new InvalidOperationException($"The compiled {spec} cell does not contain the expected type {key.FullTypeName}.");
        _disk?.TryWrite(key, bytes);
        return cell;
    }

    /// <summary>Loads the assembly and wraps its cell; null when the bytes are no usable cell of this spec (a foreign or damaged file).</summary>
    private static DynamicLstmCell? TryLoad(CellCacheKey key, byte[] bytes)
    {
        Type? type;
        try
        {
            type = CellLoadContext.Load(key.AssemblyName, bytes).GetType(key.FullTypeName, throwOnError: false);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
        catch (FileLoadException)
        {
            return null;
        }
        if (type is null || !typeof(ILstmCell<>).MakeGenericType(type).IsAssignableFrom(type)) return null;
        var cell = (DynamicLstmCell)Activator.CreateInstance(typeof(DynamicLstmCellOf<>).MakeGenericType(type), key.Spec)!;
        var layout = cell.Layout;
        var matches = layout.InputSize == key.Spec.InputSize && layout.HiddenSize == key.Spec.HiddenSize
            && layout.Variant.ToString() == key.Spec.Variant.ToString();
        return matches ? cell : null;
    }
}
