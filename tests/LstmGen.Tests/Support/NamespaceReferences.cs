using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace LstmGen.Tests.Support;

/// <summary>
/// Which namespaces of an assembly use which other namespaces of the same assembly, read from its metadata: base
/// types, interfaces, field/method/property signatures, generic constraints, local variables and every type, method
/// or field token in the method bodies' IL. Source <c>using</c>s are not enough (a fully qualified name needs none);
/// the compiled references are what a layering rule is about.
/// </summary>
internal static class NamespaceReferences
{
    /// <summary>For each namespace of the assembly, the other namespaces of the assembly it references, each with the referencing types.</summary>
    public static Dictionary<string, Dictionary<string, SortedSet<string>>> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var provider = new NamespaceCollector(md);
        var result = new Dictionary<string, Dictionary<string, SortedSet<string>>>();

        foreach (var typeHandle in md.TypeDefinitions)
        {
            var from = provider.NamespaceOf(typeHandle);
            if (from.Length == 0) continue;   // <Module>, <PrivateImplementationDetails>: compiler plumbing.
            var type = md.GetTypeDefinition(typeHandle);
            var found = new List<string>();
            void Add(IEnumerable<string> namespaces) => found.AddRange(namespaces);

            if (!type.BaseType.IsNil) Add(provider.FromHandle(type.BaseType));
            foreach (var i in type.GetInterfaceImplementations()) Add(provider.FromHandle(md.GetInterfaceImplementation(i).Interface));
            foreach (var p in type.GetGenericParameters())
                foreach (var c in md.GetGenericParameter(p).GetConstraints()) Add(provider.FromHandle(md.GetGenericParameterConstraint(c).Type));
            foreach (var f in type.GetFields()) Add(md.GetFieldDefinition(f).DecodeSignature(provider, null));
            foreach (var p in type.GetProperties())
            {
                var signature = md.GetPropertyDefinition(p).DecodeSignature(provider, null);
                Add(signature.ReturnType);
                foreach (var parameter in signature.ParameterTypes) Add(parameter);
            }
            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                var signature = method.DecodeSignature(provider, null);
                Add(signature.ReturnType);
                foreach (var parameter in signature.ParameterTypes) Add(parameter);
                foreach (var p in method.GetGenericParameters())
                    foreach (var c in md.GetGenericParameter(p).GetConstraints()) Add(provider.FromHandle(md.GetGenericParameterConstraint(c).Type));
                if (method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                    foreach (var local in md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null)) Add(local);
                foreach (var token in IlTokens(body.GetILBytes() ?? Array.Empty<byte>()))
                    Add(provider.FromHandle(MetadataTokens.EntityHandle(token)));
            }

            var name = md.GetString(type.Name);
            foreach (var to in found)
            {
                if (to == from) continue;
                if (!result.TryGetValue(from, out var targets)) result[from] = targets = new Dictionary<string, SortedSet<string>>();
                if (!targets.TryGetValue(to, out var types)) targets[to] = types = new SortedSet<string>(StringComparer.Ordinal);
                types.Add(name);
            }
        }
        return result;
    }

    /// <summary>The metadata tokens that IL instructions carry (type, method, field and ldtoken operands).</summary>
    private static IEnumerable<int> IlTokens(byte[] il)
    {
        for (var offset = 0; offset < il.Length;)
        {
            OpCode code;
            if (il[offset] == 0xFE) { code = TwoByte[il[offset + 1]]; offset += 2; }
            else { code = OneByte[il[offset]]; offset += 1; }
            switch (code.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    yield return BitConverter.ToInt32(il, offset);
                    offset += 4;
                    break;
                case OperandType.InlineSwitch:
                    offset += 4 + 4 * BitConverter.ToInt32(il, offset);
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: offset += 1; break;
                case OperandType.InlineVar: offset += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: offset += 8; break;
                default: offset += 4; break;   // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR.
            }
        }
    }

    private static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

    static NamespaceReferences()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            if (code.Size == 1) OneByte[value] = code;
            else TwoByte[value & 0xFF] = code;
        }
    }

    /// <summary>Decodes signatures into the namespaces of the assembly's own types they mention (external types give none).</summary>
    private sealed class NamespaceCollector : ISignatureTypeProvider<ImmutableArray<string>, object?>
    {
        private readonly MetadataReader _md;

        public NamespaceCollector(MetadataReader md) => _md = md;

        public string NamespaceOf(TypeDefinitionHandle handle)
        {
            var type = _md.GetTypeDefinition(handle);
            var declaring = type.GetDeclaringType();
            return declaring.IsNil ? _md.GetString(type.Namespace) : NamespaceOf(declaring);
        }

        /// <summary>The namespaces a type, member or method-instantiation token refers to.</summary>
        public ImmutableArray<string> FromHandle(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition: return GetTypeFromDefinition(_md, (TypeDefinitionHandle)handle, 0);
                case HandleKind.TypeReference: return ImmutableArray<string>.Empty;
                case HandleKind.TypeSpecification: return _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                case HandleKind.MethodDefinition: return GetTypeFromDefinition(_md, _md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType(), 0);
                case HandleKind.FieldDefinition: return GetTypeFromDefinition(_md, _md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType(), 0);
                case HandleKind.MemberReference:
                {
                    var member = _md.GetMemberReference((MemberReferenceHandle)handle);
                    var parent = FromHandle(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Field) return parent.AddRange(member.DecodeFieldSignature(this, null));
                    var signature = member.DecodeMethodSignature(this, null);
                    var all = parent.AddRange(signature.ReturnType);
                    foreach (var p in signature.ParameterTypes) all = all.AddRange(p);
                    return all;
                }
                case HandleKind.MethodSpecification:
                {
                    var spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    var all = FromHandle(spec.Method);
                    foreach (var argument in spec.DecodeSignature(this, null)) all = all.AddRange(argument);
                    return all;
                }
                default: return ImmutableArray<string>.Empty;   // StandaloneSignature (calli) and others name no type.
            }
        }

        public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
            => ImmutableArray.Create(NamespaceOf(handle));

        public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            => ImmutableArray<string>.Empty;

        public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind)
            => reader.GetTypeSpecification(handle).DecodeSignature(this, context);

        public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments)
        {
            var all = genericType;
            foreach (var argument in typeArguments) all = all.AddRange(argument);
            return all;
        }

        public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature)
        {
            var all = signature.ReturnType;
            foreach (var p in signature.ParameterTypes) all = all.AddRange(p);
            return all;
        }

        public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) => unmodifiedType;
        public ImmutableArray<string> GetGenericMethodParameter(object? context, int index) => ImmutableArray<string>.Empty;
        public ImmutableArray<string> GetGenericTypeParameter(object? context, int index) => ImmutableArray<string>.Empty;
        public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => ImmutableArray<string>.Empty;
    }
}
