using System;
using LstmGen.Numerics;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// The runtime's matrix product and weight packing, which the generated kernels call: the transpose is an exact copy,
/// and every element of a product is one FMA chain in ascending k whatever the shape, blocking, tile or vector path,
/// so each product is compared bit for bit with a scalar FMA reference (and the cells' agreement tests rely on it).
/// </summary>
public class GemmTests
{
    private static readonly int[] Sizes = { 1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 31, 33, 64, 65, 130 };

    [Test]
    public void Transpose_IsTheExactTranspose([Values] bool single)
    {
        var random = new Random(5);
        foreach (var rows in Sizes)
        {
            foreach (var columns in Sizes)
            {
                if (single)
                {
                    var w = new float[rows * columns];
                    for (var i = 0; i < w.Length; i++) w[i] = (float)random.NextDouble();
                    var p = new float[rows * columns + 1];
                    p[^1] = 42;
                    Gemm.Transpose(ref w[0], rows, columns, ref p[0]);
                    for (var r = 0; r < rows; r++)
                        for (var k = 0; k < columns; k++)
                            Assert.That(p[k * rows + r], Is.EqualTo(w[r * columns + k]), $"{rows}x{columns} at ({r}, {k})");
                    Assert.That(p[^1], Is.EqualTo(42f), "wrote past the end");
                }
                else
                {
                    var w = new double[rows * columns];
                    for (var i = 0; i < w.Length; i++) w[i] = random.NextDouble();
                    var p = new double[rows * columns + 1];
                    p[^1] = 42;
                    Gemm.Transpose(ref w[0], rows, columns, ref p[0]);
                    for (var r = 0; r < rows; r++)
                        for (var k = 0; k < columns; k++)
                            Assert.That(p[k * rows + r], Is.EqualTo(w[r * columns + k]), $"{rows}x{columns} at ({r}, {k})");
                    Assert.That(p[^1], Is.EqualTo(42.0), "wrote past the end");
                }
            }
        }
    }

    [TestCase(1, 1, 1)]
    [TestCase(1, 128, 32)]
    [TestCase(2, 200, 7)]
    [TestCase(3, 17, 5)]
    [TestCase(7, 64, 130)]
    [TestCase(13, 33, 300)]
    [TestCase(32, 512, 129)]
    [TestCase(200, 20, 64)]
    [TestCase(200, 1100, 300)] // 17+ strips of columns on every path: the blocks of A are copied contiguous (two row blocks, two k blocks)
    [TestCase(5, 3, 0)]
    public void MultiplyAdd_EqualsScalarFmaChains_BitForBit(int m, int n, int k)
    {
        foreach (var transposedA in new[] { false, true })
        {
            foreach (var accumulate in new[] { false, true })
            {
                Check<float>(m, n, k, transposedA, accumulate);
                Check<double>(m, n, k, transposedA, accumulate);
            }
        }
    }

    [Test]
    public void MultiplyAdd_SplitByRows_IsBitForBitTheSame()
    {
        // What the forward relies on: projecting the rows of a sequence in chunks equals projecting them at once.
        int m = 37, n = 96, k = 45;
        var random = new Random(3);
        var a = Fill<float>(random, m * k);
        var b = Fill<float>(random, k * n);
        var whole = Fill<float>(random, m * n);
        var parts = (float[])whole.Clone();
        Gemm.MultiplyAdd(m, n, k, ref a[0], k, 1, ref b[0], n, ref whole[0], n, true);
        for (var i0 = 0; i0 < m; i0 += 4)
            Gemm.MultiplyAdd(Math.Min(4, m - i0), n, k, ref a[i0 * k], k, 1, ref b[0], n, ref parts[i0 * n], n, true);
        Assert.That(parts, Is.EqualTo(whole));
    }

    [TestCase(1, 128, 32)]
    [TestCase(1, 2048, 40)]
    [TestCase(3, 20, 7)]
    [TestCase(7, 130, 17)]
    [TestCase(32, 512, 129)]
    [TestCase(2, 5, 3)]
    [TestCase(1, 120, 9)]
    [TestCase(2, 120, 9)]
    public void MultiplyAddPacked_EqualsProductWithTheTranspose_BitForBit(int m, int n, int k)
    {
        // W [n x k] as PyTorch stores it; packed, it must give exactly the product with its plain transpose.
        var random = new Random(n + k);
        var w = Fill<float>(random, n * k);
        var a = Fill<float>(random, m * k);
        var packed = new float[n * k];
        Gemm.PackTransposed(ref w[0], n, k, ref packed[0]);
        var transposed = new float[n * k];
        Gemm.Transpose(ref w[0], n, k, ref transposed[0]);
        var expected = Fill<float>(random, m * n);
        var actual = (float[])expected.Clone();
        Gemm.MultiplyAdd(m, n, k, ref a[0], k, 1, ref transposed[0], n, ref expected[0], n, true);
        Gemm.MultiplyAddPacked(m, n, k, ref a[0], k, 1, ref packed[0], ref actual[0], n, true);
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCase(1, 128, 512)]
    [TestCase(2, 5, 3)]
    [TestCase(7, 130, 17)]
    [TestCase(32, 128, 512)]
    [TestCase(32, 300, 140)]
    public void Pack_OfARowMajorB_GivesTheSameProductBitForBit(int m, int n, int k)
    {
        PackCheck<float>(m, n, k);
        PackCheck<double>(m, n, k);
    }

    private static void PackCheck<T>(int m, int n, int k)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // B [k x n] inside a wider array (row stride n + 5), as W_hh is read by every backward step.
        var random = new Random(m + n + k);
        var ldb = n + 5;
        var b = Fill<T>(random, k * ldb);
        var a = Fill<T>(random, m * k);
        var packed = new T[k * n];
        Gemm.Pack(ref b[0], k, n, ldb, ref packed[0]);
        var expected = Fill<T>(random, m * n);
        var actual = (T[])expected.Clone();
        Gemm.MultiplyAdd(m, n, k, ref a[0], k, 1, ref b[0], ldb, ref expected[0], n, false);
        Gemm.MultiplyAddPacked(m, n, k, ref a[0], k, 1, ref packed[0], ref actual[0], n, false);
        Assert.That(actual, Is.EqualTo(expected), typeof(T).Name);
    }

    private static void Check<T>(int m, int n, int k, bool transposedA, bool accumulate)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(m * 1000 + n * 10 + k);
        var a = Fill<T>(random, Math.Max(1, m * k));
        var b = Fill<T>(random, Math.Max(1, k * n));
        // C has a wider stride than n, with guard values in the gap that must survive.
        var ldc = n + 3;
        var c = Fill<T>(random, m * ldc);
        var expected = (T[])c.Clone();
        nint aRow = transposedA ? 1 : k, aK = transposedA ? m : 1;
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var s = accumulate ? expected[i * ldc + j] : T.Zero;
                for (var kk = 0; kk < k; kk++) s = T.FusedMultiplyAdd(a[i * aRow + kk * aK], b[kk * n + j], s);
                expected[i * ldc + j] = s;
            }
        }
        Gemm.MultiplyAdd(m, n, k, ref a[0], aRow, aK, ref b[0], n, ref c[0], ldc, accumulate);
        Assert.That(c, Is.EqualTo(expected), $"{typeof(T).Name} {m}x{n}x{k}, transposed A {transposedA}, accumulate {accumulate}");
    }

    [TestCase(1, 200, 9)]
    [TestCase(2, 200, 9)]
    [TestCase(3, 20, 7)]
    [TestCase(7, 130, 17)]
    [TestCase(13, 300, 140)]
    public void Vector512Plan_PackedEqualsPlain_BitForBit(int m, int n, int k)
    {
        // The AVX-512 plan (panels of 4 vectors, tiles of 6 x 4 and 1-2 x 8 vectors), run whatever the CPU: Vector512
        // works in software where it is not accelerated, so this checks the plan's addressing on every machine.
        var random = new Random(m * 31 + n + k);
        var w = Fill<float>(random, n * k);
        var a = Fill<float>(random, m * k);
        var transposed = new float[n * k];
        Gemm.Transpose(ref w[0], n, k, ref transposed[0]);
        var panel = 4 * System.Runtime.Intrinsics.Vector512<float>.Count;
        var packed = new float[n * k];
        Gemm.PackTransposedInPanels(ref w[0], n, k, panel, ref packed[0]);
        var plain = Fill<float>(random, m * n);
        var fromPanels = (float[])plain.Clone();
        var reference = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = plain[i * n + j];
                for (var kk = 0; kk < k; kk++) sum += (double)a[i * k + kk] * w[j * k + kk];
                reference[i * n + j] = sum;
            }
        Gemm.Blocked<float, System.Runtime.Intrinsics.Vector512<float>, Width512<float>>(m, n, k, ref a[0], k, 1, ref transposed[0], n, 0, ref plain[0], n, true);
        Gemm.Blocked<float, System.Runtime.Intrinsics.Vector512<float>, Width512<float>>(m, n, k, ref a[0], k, 1, ref packed[0], 0, panel, ref fromPanels[0], n, true);
        Assert.That(fromPanels, Is.EqualTo(plain));
        Assert.That(plain, Is.EqualTo(reference).Within(1e-4));
    }

    private static T[] Fill<T>(Random random, int length) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (var i = 0; i < length; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
