using System;
using LstmGen;

namespace LstmGen.SimdProbe;

[LstmCell(inputSize: 3, hiddenSize: 5)]
public partial struct Tiny35;

[LstmCell(inputSize: 17, hiddenSize: 33)]
public partial struct Odd1733;

public static class Program
{
    public static int Main(string[] args)
    {
        var p = new LstmParameters<Tiny35, double>();
        p.InitializeUniform(new Random(1), -0.5, 0.5);
        var x = new double[2 * 1 * 3];
        var output = new double[2 * 5];
        var hT = new double[5];
        var cT = new double[5];
        Tiny35.Forward(p, 2, 1, x, output, hT, cT);
        Console.WriteLine(string.Join(",", output));
        return 0;
    }
}
