using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>The overloads of <see cref="Lstm"/> and the arguments each takes, for the bad-input test cases.</summary>
public static class BadInputCases
{
    public const string Forward = "Forward(p, T, B, x, output, hT, cT)";
    public const string ForwardState = "Forward(p, T, B, x, h0, c0, output, hT, cT)";
    public const string ForwardTraining = "Forward(p, ws, T, B, x, output, hT, cT)";
    public const string ForwardTrainingState = "Forward(p, ws, T, B, x, h0, c0, output, hT, cT)";
    public const string Backward = "Backward(p, ws, g, T, B, dOutput, dhT, dcT, dx, dh0, dc0)";
    public const string BackwardNoOutputGradient = "Backward(p, ws, g, T, B, dhT, dcT, dx, dh0, dc0)";

    /// <summary>Length argument meaning "an empty span".</summary>
    public const int Empty = int.MinValue;

    public static readonly IReadOnlyDictionary<string, string[]> SpanArguments = new Dictionary<string, string[]>
    {
        [Forward] = new[] { "x", "output", "hT", "cT" },
        [ForwardState] = new[] { "x", "h0", "c0", "output", "hT", "cT" },
        [ForwardTraining] = new[] { "x", "output", "hT", "cT" },
        [ForwardTrainingState] = new[] { "x", "h0", "c0", "output", "hT", "cT" },
        [Backward] = new[] { "dOutput", "dhT", "dcT", "dx", "dh0", "dc0" },
        [BackwardNoOutputGradient] = new[] { "dhT", "dcT", "dx", "dh0", "dc0" },
    };

    public static IEnumerable<string> Overloads => SpanArguments.Keys;

    public static IEnumerable<string> BackwardOverloads => new[] { Backward, BackwardNoOutputGradient };

    public static IEnumerable<string> TrainingForwardOverloads => new[] { ForwardTraining, ForwardTrainingState };

    /// <summary>Whether the text has the integer as a whole number (not part of a longer number or a decimal).</summary>
    public static bool ContainsNumber(string text, long number)
        => Regex.IsMatch(text, $@"(?<![\d.\-]){Regex.Escape(number.ToString(System.Globalization.CultureInfo.InvariantCulture))}(?!\d|\.\d)");

    public static bool IsBackward(string overload) => overload.StartsWith("Backward", StringComparison.Ordinal);

    /// <summary>Every span argument of every overload, one element short, one too long, and empty.</summary>
    public static IEnumerable<TestCaseData> WrongLengths()
    {
        foreach (var (overload, arguments) in SpanArguments)
            foreach (var argument in arguments)
                foreach (var (delta, label) in new[] { (-1, "short"), (1, "long"), (Empty, "empty") })
                    yield return new TestCaseData(overload, argument, delta).SetArgDisplayNames(overload, argument, label);
    }

    public static IEnumerable<TestCaseData> NonPositiveSizes()
    {
        foreach (var overload in Overloads)
            foreach (var argument in new[] { "steps", "batch" })
                foreach (var value in new[] { 0, -1, int.MinValue })
                    yield return new TestCaseData(overload, argument, value).SetArgDisplayNames(overload, argument, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static IEnumerable<TestCaseData> TooSmallWorkspace()
    {
        foreach (var overload in TrainingForwardOverloads)
            foreach (var argument in new[] { "steps", "batch" })
                yield return new TestCaseData(overload, argument).SetArgDisplayNames(overload, argument);
    }

    public static IEnumerable<TestCaseData> BackwardCases()
        => BackwardOverloads.Select(o => new TestCaseData(o).SetArgDisplayNames(o));

    public static IEnumerable<TestCaseData> MismatchedRecording()
    {
        foreach (var overload in BackwardOverloads)
            foreach (var (steps, batch) in new[] { (2, 2), (4, 2), (3, 1), (3, 3), (1, 1) })
                yield return new TestCaseData(overload, steps, batch).SetArgDisplayNames(overload, $"T={steps}", $"B={batch}");
    }
}

/// <summary>
/// Every checked entry point with bad arguments: the exception is an <see cref="ArgumentException"/> (or
/// <see cref="ArgumentOutOfRangeException"/>) whose ParamName is the argument, whose message has the expected and
/// actual numbers, and nothing was written: outputs, gradients, parameters and the workspace's recording keep their
/// previous contents.
/// </summary>
[TestFixture(typeof(Cell1x1), typeof(double))]
[TestFixture(typeof(Cell3x5), typeof(double))]
[TestFixture(typeof(Cell3x5), typeof(float))]
[TestFixture(typeof(Cell17x33), typeof(float))]
[TestFixture(typeof(Cell17x33), typeof(double))]
public class BadInputTests<TCell, T>
    where TCell : ILstmCell<TCell>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Steps = 3;
    private const int Batch = 2;
    private static readonly int D = TCell.InputSize;
    private static readonly int H = TCell.HiddenSize;
    private static readonly T Sentinel = T.CreateChecked(-12345.25);

    private static readonly string[] Outputs = { "output", "hT", "cT", "dx", "dh0", "dc0" };

    /// <summary>The arguments of one call: every span by name, parameters, gradients and workspace.</summary>
    private sealed class Call
    {
        public Call(int steps, int batch, LstmWorkspace<TCell, T> workspace)
        {
            Steps = steps;
            Batch = batch;
            Workspace = workspace;
            var random = new Random(7);
            Parameters.InitializeUniform(random, -0.5, 0.5);
            foreach (var name in new[] { "x", "h0", "c0", "output", "hT", "cT", "dOutput", "dhT", "dcT", "dx", "dh0", "dc0" })
            {
                var length = ExpectedLength(name, Math.Max(steps, 1), Math.Max(batch, 1));
                Spans[name] = Enumerable.Range(0, length).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
            }
        }

        public int Steps { get; set; }
        public int Batch { get; set; }
        public LstmParameters<TCell, T> Parameters { get; } = new();
        public LstmParameters<TCell, T> Gradients { get; set; } = new();
        public LstmWorkspace<TCell, T> Workspace { get; set; }
        public Dictionary<string, T[]> Spans { get; } = new();

        public T[] this[string name] => Spans[name];

        /// <summary>Fills every output and the gradient buffer with the sentinel.</summary>
        public void ArmSentinels()
        {
            foreach (var name in Outputs) Array.Fill(Spans[name], Sentinel);
            if (!ReferenceEquals(Gradients, Parameters)) Gradients.Data.Fill(Sentinel);
        }

        public void Invoke(string overload)
        {
            var s = Spans;
            switch (overload)
            {
                case BadInputCases.Forward:
                    Lstm.Forward(Parameters, Steps, Batch, s["x"], s["output"], s["hT"], s["cT"]);
                    break;
                case BadInputCases.ForwardState:
                    Lstm.Forward(Parameters, Steps, Batch, s["x"], s["h0"], s["c0"], s["output"], s["hT"], s["cT"]);
                    break;
                case BadInputCases.ForwardTraining:
                    Lstm.Forward(Parameters, Workspace, Steps, Batch, s["x"], s["output"], s["hT"], s["cT"]);
                    break;
                case BadInputCases.ForwardTrainingState:
                    Lstm.Forward(Parameters, Workspace, Steps, Batch, s["x"], s["h0"], s["c0"], s["output"], s["hT"], s["cT"]);
                    break;
                case BadInputCases.Backward:
                    Lstm.Backward(Parameters, Workspace, Gradients, Steps, Batch, s["dOutput"], s["dhT"], s["dcT"], s["dx"], s["dh0"], s["dc0"]);
                    break;
                case BadInputCases.BackwardNoOutputGradient:
                    Lstm.Backward(Parameters, Workspace, Gradients, Steps, Batch, s["dhT"], s["dcT"], s["dx"], s["dh0"], s["dc0"]);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(overload), overload, "unknown overload");
            }
        }
    }

    private static int ExpectedLength(string name, int steps, int batch) => name switch
    {
        "x" or "dx" => steps * batch * D,
        "output" or "dOutput" => steps * batch * H,
        _ => batch * H,
    };

    /// <summary>A call of the given shape whose workspace (if any is needed) holds a valid recording of that shape.</summary>
    private static Call ValidCall(string overload, int steps = Steps, int batch = Batch, int? workspaceSteps = null, int? workspaceBatch = null)
    {
        var workspace = new LstmWorkspace<TCell, T>(workspaceSteps ?? Math.Max(steps, 1), workspaceBatch ?? Math.Max(batch, 1));
        var call = new Call(steps, batch, workspace);
        if (BadInputCases.IsBackward(overload))
            Record(call, steps, batch);
        return call;
    }

    /// <summary>A valid training forward of steps × batch into the call's workspace, with its own buffers.</summary>
    private static void Record(Call call, int steps, int batch)
    {
        var x = new T[steps * batch * D];
        Lstm.Forward(call.Parameters, call.Workspace, steps, batch, x, new T[steps * batch * H], new T[batch * H], new T[batch * H]);
    }

    /// <summary>Runs the call expecting <typeparamref name="TException"/> naming <paramref name="argument"/>; checks nothing was written.</summary>
    private static TException ExpectRejected<TException>(Call call, string overload, string argument, params long[] numbers)
        where TException : ArgumentException
    {
        var parameters = call.Parameters.Data.ToArray();
        var inputs = call.Spans.Where(kv => !Outputs.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var recordedSteps = call.Workspace.RecordedSteps;
        var recordedBatch = call.Workspace.RecordedBatch;
        call.ArmSentinels();

        var exception = Assert.Throws<TException>(() => call.Invoke(overload), $"{overload} with bad '{argument}'")!;
        Assert.Multiple(() =>
        {
            Assert.That(exception.ParamName, Is.EqualTo(argument), $"ParamName; message: {exception.Message}");
            foreach (var number in numbers)
                Assert.That(BadInputCases.ContainsNumber(exception.Message, number),
                    Is.True, $"the message should contain {number}: {exception.Message}");
            foreach (var name in Outputs)
            {
                var values = call[name];
                var changed = Array.FindIndex(values, v => !v.Equals(Sentinel));
                Assert.That(changed, Is.EqualTo(-1), $"'{name}' was written at [{changed}] before the call was rejected ({exception.Message})");
            }
            if (!ReferenceEquals(call.Gradients, call.Parameters))
                Assert.That(call.Gradients.Data.ToArray().All(v => v.Equals(Sentinel)), Is.True, $"'gradients' was written before the call was rejected ({exception.Message})");
            Assert.That(call.Parameters.Data.ToArray(), Is.EqualTo(parameters), "'parameters' changed");
            foreach (var (name, values) in inputs)
                Assert.That(call[name], Is.EqualTo(values), $"input '{name}' changed");
            Assert.That((call.Workspace.RecordedSteps, call.Workspace.RecordedBatch), Is.EqualTo((recordedSteps, recordedBatch)),
                "the workspace's recording changed");
        });
        return exception;
    }

    // ------------------------------------------------------------------ lengths

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.WrongLengths))]
    public void WrongSpanLength_Throws_NamesArgumentAndBothLengths(string overload, string argument, int delta)
    {
        var call = ValidCall(overload);
        var expected = ExpectedLength(argument, Steps, Batch);
        var actual = delta == BadInputCases.Empty ? 0 : expected + delta;
        call.Spans[argument] = new T[actual];
        if (Outputs.Contains(argument)) Array.Fill(call.Spans[argument], Sentinel);
        ExpectRejected<ArgumentException>(call, overload, argument, expected, actual);
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.Overloads))]
    public void ValidCall_DoesNotThrow(string overload)
    {
        // The baseline of every rejection test: the same call with correct lengths is accepted and writes the outputs.
        var call = ValidCall(overload);
        call.ArmSentinels();
        call.Gradients.Clear();
        Assert.DoesNotThrow(() => call.Invoke(overload));
        var written = BadInputCases.IsBackward(overload) ? new[] { "dx", "dh0", "dc0" } : new[] { "output", "hT", "cT" };
        foreach (var name in written)
            Assert.That(call[name].Any(v => v.Equals(Sentinel)), Is.False, $"'{name}' still holds the sentinel after a valid call");
    }

    // ------------------------------------------------------------------ sizes

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.NonPositiveSizes))]
    public void NonPositiveStepsOrBatch_ThrowsOutOfRange(string overload, string argument, int value)
    {
        var call = ValidCall(overload);
        if (argument == "steps") call.Steps = value;
        else call.Batch = value;
        ExpectRejected<ArgumentOutOfRangeException>(call, overload, argument, value);
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.TooSmallWorkspace))]
    public void WorkspaceTooSmall_Throws_NamesWorkspaceAndBothSizes(string overload, string dimension)
    {
        // Workspace for 2 × 2 with a valid recording of 2 × 2; the call needs one more step or row.
        int steps = dimension == "steps" ? 3 : 2, batch = dimension == "batch" ? 3 : 2;
        var call = new Call(steps, batch, new LstmWorkspace<TCell, T>(2, 2));
        Record(call, 2, 2);
        ExpectRejected<ArgumentException>(call, overload, "workspace", 2, 3);
    }

    // ------------------------------------------------------------------ backward state

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.BackwardCases))]
    public void BackwardBeforeAnyForward_Throws(string overload)
    {
        var call = new Call(Steps, Batch, new LstmWorkspace<TCell, T>(Steps, Batch));
        var exception = ExpectRejected<ArgumentException>(call, overload, "workspace");
        Assert.That(exception.Message, Does.Contain("Forward"), "the message should say what to do");
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.BackwardCases))]
    public void BackwardAfterInferenceOnlyForward_Throws(string overload)
    {
        // An inference forward records nothing, even with the same parameters, steps and batch.
        var call = new Call(Steps, Batch, new LstmWorkspace<TCell, T>(Steps, Batch));
        Lstm.Forward(call.Parameters, Steps, Batch, new T[Steps * Batch * D], new T[Steps * Batch * H], new T[Batch * H], new T[Batch * H]);
        ExpectRejected<ArgumentException>(call, overload, "workspace");
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.MismatchedRecording))]
    public void BackwardWithDifferentShapeThanRecorded_Throws(string overload, int steps, int batch)
    {
        // Recorded 3 × 2 in a workspace big enough for the call; the spans fit the call's own shape.
        var call = new Call(steps, batch, new LstmWorkspace<TCell, T>(4, 3));
        Record(call, Steps, Batch);
        var numbers = new List<long>();
        if (steps != Steps) numbers.AddRange(new long[] { Steps, steps });
        if (batch != Batch) numbers.AddRange(new long[] { Batch, batch });
        ExpectRejected<ArgumentException>(call, overload, "workspace", numbers.ToArray());
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.BackwardCases))]
    public void GradientsSameObjectAsParameters_Throws(string overload)
    {
        var call = ValidCall(overload);
        call.Gradients = call.Parameters;
        ExpectRejected<ArgumentException>(call, overload, "gradients");
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.BackwardCases))]
    public void BackwardWithOtherParametersThanRecorded_Throws(string overload)
    {
        var call = ValidCall(overload);
        var other = new LstmParameters<TCell, T>();
        other.CopyFrom(call.Parameters);
        Lstm.Forward(other, call.Workspace, Steps, Batch, new T[Steps * Batch * D], new T[Steps * Batch * H], new T[Batch * H], new T[Batch * H]);
        ExpectRejected<ArgumentException>(call, overload, "parameters");
    }

    [TestCaseSource(typeof(BadInputCases), nameof(BadInputCases.Overloads))]
    public void NullObjects_ThrowArgumentNull(string overload)
    {
        var names = new List<string> { "parameters" };
        if (overload != BadInputCases.Forward && overload != BadInputCases.ForwardState) names.Add("workspace");
        if (BadInputCases.IsBackward(overload)) names.Add("gradients");
        foreach (var name in names)
        {
            var call = ValidCall(overload);
            var parameters = call.Parameters;
            var invoke = name switch
            {
                "parameters" => (Action)(() => InvokeWith(call, overload, null, call.Workspace, call.Gradients)),
                "workspace" => () => InvokeWith(call, overload, parameters, null, call.Gradients),
                _ => () => InvokeWith(call, overload, parameters, call.Workspace, null),
            };
            call.ArmSentinels();
            var exception = Assert.Throws<ArgumentNullException>(() => invoke(), $"{overload} with null '{name}'")!;
            Assert.That(exception.ParamName, Is.EqualTo(name));
            foreach (var output in Outputs)
                Assert.That(call[output].All(v => v.Equals(Sentinel)), Is.True, $"'{output}' was written");
        }
    }

    private static void InvokeWith(Call call, string overload, LstmParameters<TCell, T>? parameters, LstmWorkspace<TCell, T>? workspace, LstmParameters<TCell, T>? gradients)
    {
        var s = call.Spans;
        switch (overload)
        {
            case BadInputCases.Forward:
                Lstm.Forward(parameters!, call.Steps, call.Batch, s["x"], s["output"], s["hT"], s["cT"]);
                break;
            case BadInputCases.ForwardState:
                Lstm.Forward(parameters!, call.Steps, call.Batch, s["x"], s["h0"], s["c0"], s["output"], s["hT"], s["cT"]);
                break;
            case BadInputCases.ForwardTraining:
                Lstm.Forward(parameters!, workspace!, call.Steps, call.Batch, s["x"], s["output"], s["hT"], s["cT"]);
                break;
            case BadInputCases.ForwardTrainingState:
                Lstm.Forward(parameters!, workspace!, call.Steps, call.Batch, s["x"], s["h0"], s["c0"], s["output"], s["hT"], s["cT"]);
                break;
            case BadInputCases.Backward:
                Lstm.Backward(parameters!, workspace!, gradients!, call.Steps, call.Batch, s["dOutput"], s["dhT"], s["dcT"], s["dx"], s["dh0"], s["dc0"]);
                break;
            default:
                Lstm.Backward(parameters!, workspace!, gradients!, call.Steps, call.Batch, s["dhT"], s["dcT"], s["dx"], s["dh0"], s["dc0"]);
                break;
        }
    }
}

/// <summary>Bad input through the members the generator adds to a cell, and the runtime types' own checks.</summary>
public class GeneratedApiBadInputTests
{
    private const int Steps = 2;
    private const int Batch = 3;
    private const int D = Cell3x5.InputSize;
    private const int H = Cell3x5.HiddenSize;

    private static void ExpectLengthError(Action call, string argument, int expected, int actual, params double[][] untouched)
    {
        var exception = Assert.Throws<ArgumentException>(() => call())!;
        Assert.Multiple(() =>
        {
            Assert.That(exception.ParamName, Is.EqualTo(argument));
            Assert.That(BadInputCases.ContainsNumber(exception.Message, expected), Is.True, $"expected length {expected} in the message: {exception.Message}");
            Assert.That(BadInputCases.ContainsNumber(exception.Message, actual), Is.True, $"actual length {actual} in the message: {exception.Message}");
            foreach (var array in untouched)
                Assert.That(array.All(v => v == 42.5), Is.True, "an output was written");
        });
    }

    private static double[] Filled(int length) => Enumerable.Repeat(42.5, length).ToArray();

    [Test]
    public void GeneratedForwardOverloads_CheckTheirArguments()
    {
        var p = new LstmParameters<Cell3x5, double>();
        var ws = new LstmWorkspace<Cell3x5, double>(Steps, Batch);
        var badX = new double[Steps * Batch * D - 1];
        var state = new double[Batch * H];
        double[] output = Filled(Steps * Batch * H), hT = Filled(Batch * H), cT = Filled(Batch * H);
        ExpectLengthError(() => Cell3x5.Forward(p, Steps, Batch, badX, output, hT, cT), "x", Steps * Batch * D, badX.Length, output, hT, cT);
        ExpectLengthError(() => Cell3x5.Forward(p, Steps, Batch, new double[Steps * Batch * D], new double[1], state, output, hT, cT), "h0", Batch * H, 1, output, hT, cT);
        ExpectLengthError(() => Cell3x5.Forward(p, ws, Steps, Batch, new double[Steps * Batch * D], output, new double[Batch * H + 1], cT), "hT", Batch * H, Batch * H + 1, output, cT);
        ExpectLengthError(() => Cell3x5.Forward(p, ws, Steps, Batch, new double[Steps * Batch * D], state, state, output, hT, new double[0]), "cT", Batch * H, 0, output, hT);
    }

    [Test]
    public void GeneratedBackwardOverloads_CheckTheirArguments()
    {
        var p = new LstmParameters<Cell3x5, double>();
        var ws = new LstmWorkspace<Cell3x5, double>(Steps, Batch);
        var g = new LstmParameters<Cell3x5, double>();
        Cell3x5.Forward(p, ws, Steps, Batch, new double[Steps * Batch * D], new double[Steps * Batch * H], new double[Batch * H], new double[Batch * H]);
        double[] dx = Filled(Steps * Batch * D), dh0 = Filled(Batch * H), dc0 = Filled(Batch * H);
        var state = new double[Batch * H];
        ExpectLengthError(() => Cell3x5.Backward(p, ws, g, Steps, Batch, new double[7], state, state, dx, dh0, dc0), "dOutput", Steps * Batch * H, 7, dx, dh0, dc0);
        ExpectLengthError(() => Cell3x5.Backward(p, ws, g, Steps, Batch, state, state, new double[1], dh0, dc0), "dx", Steps * Batch * D, 1, dh0, dc0);
        Assert.That(g.Data.ToArray().All(v => v == 0), Is.True, "gradients were written by a rejected call");
    }

    [Test]
    public void Workspace_RejectsNonPositiveSizes()
    {
        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LstmWorkspace<Cell3x5, float>(0, 1))!;
        Assert.That(steps.ParamName, Is.EqualTo("maxSteps"));
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LstmWorkspace<Cell3x5, float>(1, -4))!;
        Assert.That(batch.ParamName, Is.EqualTo("maxBatch"));
        Assert.That(batch.Message, Does.Contain("-4"));
    }

    [Test]
    public void Workspace_TooLargeForOneArray_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => _ = new LstmWorkspace<Cell200x300, float>(int.MaxValue, 1000))!;
        Assert.That(exception.ParamName, Is.EqualTo("maxSteps"));
        Assert.That(exception.Message, Does.Contain(Cell200x300.CacheLength(int.MaxValue, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void ParametersCopyFrom_WrongLength_NamesSourceAndBothLengths()
    {
        var p = new LstmParameters<Cell3x5, double>();
        var exception = Assert.Throws<ArgumentException>(() => p.CopyFrom(new double[Cell3x5.ParameterCount + 3]))!;
        Assert.That(exception.ParamName, Is.EqualTo("source"));
        Assert.That(exception.Message, Does.Contain((Cell3x5.ParameterCount + 3).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(exception.Message, Does.Contain(Cell3x5.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(p.Data.ToArray().All(v => v == 0), Is.True, "parameters were written by a rejected copy");
    }
}
