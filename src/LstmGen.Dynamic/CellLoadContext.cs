using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace LstmGen.Dynamic;

/// <summary>
/// Loads one compiled cell assembly. Its references (LstmGen, the framework) resolve in the load context that holds
/// the running LstmGen, so the cell implements that <see cref="ILstmCell{TSelf}"/> — also when LstmGen itself was
/// loaded as a plug-in. One context per assembly: the same cell may be loaded again by another compiler instance.
/// </summary>
internal sealed class CellLoadContext : AssemblyLoadContext
{
    private static readonly AssemblyLoadContext Parent = GetLoadContext(typeof(ILstmCell<>).Assembly) ?? Default;

    private CellLoadContext(string name) : base(name)
    {
    }

    public static Assembly Load(string name, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return new CellLoadContext(name).LoadFromStream(stream);
    }

    protected override Assembly? Load(AssemblyName assemblyName) => Parent.LoadFromAssemblyName(assemblyName);
}
