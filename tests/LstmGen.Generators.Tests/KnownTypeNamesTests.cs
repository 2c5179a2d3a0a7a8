using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>The generator matches runtime types by metadata name; the names must stay in step with the real types.</summary>
[TestFixture]
public sealed class KnownTypeNamesTests
{
    /// <summary>Every constant of <see cref="KnownTypeNames"/>, by field name, with the runtime type it names.</summary>
    private static readonly Dictionary<string, Type> Expected = new()
    {
        [nameof(KnownTypeNames.LstmCellAttribute)] = typeof(LstmCellAttribute),
        [nameof(KnownTypeNames.ILstmCell)] = typeof(ILstmCell<>),
        [nameof(KnownTypeNames.LstmParameters)] = typeof(LstmParameters<,>),
        [nameof(KnownTypeNames.Lstm)] = typeof(Lstm),
        [nameof(KnownTypeNames.Vector256)] = typeof(System.Runtime.Intrinsics.Vector256),
        [nameof(KnownTypeNames.Vector512)] = typeof(System.Runtime.Intrinsics.Vector512),
        [nameof(KnownTypeNames.IFloatingPointIeee754)] = typeof(System.Numerics.IFloatingPointIeee754<>),
        [nameof(KnownTypeNames.PeepholeAttribute)] = typeof(PeepholeAttribute),
        [nameof(KnownTypeNames.LayerNormAttribute)] = typeof(LayerNormAttribute),
        [nameof(KnownTypeNames.ForgetBiasAttribute)] = typeof(ForgetBiasAttribute),
        [nameof(KnownTypeNames.CoupledInputForgetGateAttribute)] = typeof(CoupledInputForgetGateAttribute),
        [nameof(KnownTypeNames.ClipAttribute)] = typeof(ClipAttribute),
    };

    [Test]
    public void KnownTypeNames_MatchRuntimeTypes()
    {
        var constants = typeof(KnownTypeNames)
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

        Assert.That(constants.Keys, Is.EquivalentTo(Expected.Keys), "Every KnownTypeNames constant needs an entry here, naming its runtime type.");
        Assert.Multiple(() =>
        {
            foreach (var (name, type) in Expected)
            {
                Assert.That(constants[name], Is.EqualTo(type.FullName), name);
                Assert.That(type.Assembly.GetType(constants[name]), Is.SameAs(type), $"{name} resolves in {type.Assembly.GetName().Name}");
            }
        });
    }

    [Test]
    public void KnownTypeNames_ResolveInCompilation()
    {
        var compilation = GeneratorHarness.CreateCompilation("class C { }");

        Assert.Multiple(() =>
        {
            Assert.That(compilation.GetTypeByMetadataName(KnownTypeNames.LstmCellAttribute), Is.Not.Null, KnownTypeNames.LstmCellAttribute);
            Assert.That(compilation.GetTypeByMetadataName(KnownTypeNames.ILstmCell), Is.Not.Null, KnownTypeNames.ILstmCell);
            foreach (var name in new[] { KnownTypeNames.LstmParameters, KnownTypeNames.Lstm, KnownTypeNames.Vector256, KnownTypeNames.Vector512, KnownTypeNames.IFloatingPointIeee754 })
                Assert.That(compilation.GetTypeByMetadataName(name), Is.Not.Null, name);
        });
    }
}
