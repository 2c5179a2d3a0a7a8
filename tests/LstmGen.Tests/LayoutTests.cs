using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// Each cell's parameter layout is PyTorch's: weight_ih [4H, D], weight_hh [4H, H], bias_ih [4H], bias_hh [4H],
/// contiguous and in that order; the named views of <see cref="LstmParameters{TCell, T}"/> alias those slices of Data.
/// </summary>
[TestFixture(typeof(Cell1x1))]
[TestFixture(typeof(Cell2x3))]
[TestFixture(typeof(Cell3x5))]
[TestFixture(typeof(Cell7x13))]
[TestFixture(typeof(Cell16x32))]
[TestFixture(typeof(Cell17x33))]
[TestFixture(typeof(Cell64x128))]
[TestFixture(typeof(Cell200x300))]
public class LayoutTests<TCell> where TCell : ILstmCell<TCell>
{
    private static readonly int D = TCell.InputSize;
    private static readonly int H = TCell.HiddenSize;

    [Test]
    public void SizesMatchTheDeclaration()
    {
        var name = typeof(TCell).Name;              // CellDxH
        var sizes = name["Cell".Length..].Split('x').Select(int.Parse).ToArray();
        Assert.That((TCell.InputSize, TCell.HiddenSize), Is.EqualTo((sizes[0], sizes[1])));
        Assert.That((TCell.Layout.InputSize, TCell.Layout.HiddenSize), Is.EqualTo((D, H)));
        Assert.That(TCell.Layout.Variant, Is.EqualTo(LstmCellVariant.Standard));
        Assert.That(TCell.Layout.Variant.ToString(), Is.EqualTo("standard"));
    }

    [Test]
    public void ToString_ShowsSizesVariantAndBufferMap()
    {
        Assert.That(TCell.Layout.ToString(), Is.EqualTo(
            $"D = {D}, H = {H}, standard: weight_ih [{4 * H}, {D}] at 0, weight_hh [{4 * H}, {H}] at {4 * H * D}, " +
            $"bias_ih [{4 * H}] at {4 * H * (D + H)}, bias_hh [{4 * H}] at {4 * H * (D + H + 1)} ({4 * H * (D + H + 2)} scalars)"));
    }

    [Test]
    public void TensorsArePyTorchsInOrderAndContiguous()
    {
        var tensors = TCell.Layout.Tensors;
        Assert.That(tensors.Select(t => t.Name), Is.EqualTo(new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" }));
        Assert.Multiple(() =>
        {
            Assert.That(tensors[0].Shape, Is.EqualTo(new[] { 4 * H, D }), "weight_ih shape");
            Assert.That(tensors[1].Shape, Is.EqualTo(new[] { 4 * H, H }), "weight_hh shape");
            Assert.That(tensors[2].Shape, Is.EqualTo(new[] { 4 * H }), "bias_ih shape");
            Assert.That(tensors[3].Shape, Is.EqualTo(new[] { 4 * H }), "bias_hh shape");
            Assert.That(tensors.Select(t => t.Offset), Is.EqualTo(new[] { 0, 4 * H * D, 4 * H * (D + H), 4 * H * (D + H) + 4 * H }), "offsets");
            var offset = 0;
            foreach (var tensor in tensors)
            {
                Assert.That(tensor.Offset, Is.EqualTo(offset), $"{tensor.Name} starts where the previous tensor ends");
                offset += tensor.Length;
            }
            Assert.That(offset, Is.EqualTo(TCell.ParameterCount), "the tensors cover the buffer exactly");
            Assert.That(TCell.Layout.ParameterCount, Is.EqualTo(TCell.ParameterCount));
        });
    }

    [Test]
    public void ParameterCountIs4HTimesDPlusHPlus8H()
        => Assert.That(TCell.ParameterCount, Is.EqualTo(4 * H * (D + H) + 8 * H));

    [Test]
    public void LookupByName()
    {
        foreach (var tensor in TCell.Layout.Tensors)
        {
            Assert.That(TCell.Layout[tensor.Name], Is.SameAs(tensor));
            Assert.That(TCell.Layout.Contains(tensor.Name), Is.True);
        }
        Assert.That(TCell.Layout.Contains("weight_hr"), Is.False);
        var missing = Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => _ = TCell.Layout["w_ci"])!;
        Assert.That(missing.Message, Does.Contain("w_ci").And.Contain("weight_ih"));
    }

    [Test]
    public void NamedViewsAliasTheRightSlicesOfData_Double() => CheckViews<double>();

    [Test]
    public void NamedViewsAliasTheRightSlicesOfData_Float() => CheckViews<float>();

    private static void CheckViews<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var parameters = new LstmParameters<TCell, T>();
        Assert.That(parameters.Length, Is.EqualTo(TCell.ParameterCount));
        Assert.That(parameters.Data.Length, Is.EqualTo(TCell.ParameterCount));
        Assert.That(LstmParameters<TCell, T>.Layout, Is.SameAs(TCell.Layout));
        var views = new (string Name, Func<LstmParameters<TCell, T>, Span<T>> View)[]
        {
            ("weight_ih", p => p.WeightIh), ("weight_hh", p => p.WeightHh), ("bias_ih", p => p.BiasIh), ("bias_hh", p => p.BiasHh),
        };
        foreach (var (name, view) in views)
        {
            var info = TCell.Layout[name];
            var span = view(parameters);
            Assert.That(span.Length, Is.EqualTo(info.Length), $"{name} length");
            // Same memory: the view starts at Data[offset] ...
            Assert.That(Unsafe.AreSame(ref MemoryMarshal.GetReference(span), ref parameters.Data[info.Offset]), Is.True, $"{name} starts at Data[{info.Offset}]");
            Assert.That(Unsafe.AreSame(ref MemoryMarshal.GetReference(parameters.Tensor(name)), ref parameters.Data[info.Offset]), Is.True, $"Tensor(\"{name}\") starts at Data[{info.Offset}]");
            // ... and writes through it land there, and only there.
            parameters.Clear();
            span.Fill(T.One);
            var data = parameters.Data;
            for (var i = 0; i < data.Length; i++)
            {
                var inside = i >= info.Offset && i < info.Offset + info.Length;
                if (data[i] != (inside ? T.One : T.Zero))
                    Assert.Fail($"writing {name} changed Data[{i}] (tensor spans [{info.Offset}, {info.Offset + info.Length}))");
            }
            // ... and the memory view sees the same slice.
            Assert.That(Unsafe.AreSame(ref MemoryMarshal.GetReference(parameters.AsMemory().Span), ref parameters.Data[0]), Is.True, "AsMemory is Data");
        }
    }
}
