using System.Globalization;

namespace LstmGen.Generators.Helpers;

/// <summary>The element type of one kernel flavour: float or double.</summary>
internal sealed record Precision(string Type, string Name, int Bytes, string Suffix)
{
    public static readonly Precision Single = new("float", "Single", 4, "f");
    public static readonly Precision Double = new("double", "Double", 8, "d");

    public static readonly Precision[] All = { Single, Double };

    public string Literal(double value) => value.ToString("R", CultureInfo.InvariantCulture) + Suffix;
}

/// <summary>
/// One code path of a kernel: Vector512, Vector256, Vector128 (SSE on x64, NEON on ARM64) or scalar. Each knows how to write loads, stores, FMAs and
/// clamps for its width, so one emitter body produces all three paths.
/// </summary>
internal sealed record SimdPath(string Name, int Bits)
{
    public static readonly SimdPath V512 = new("V512", 512);
    public static readonly SimdPath V256 = new("V256", 256);
    public static readonly SimdPath V128 = new("V128", 128);
    public static readonly SimdPath Scalar = new("Scalar", 0);

    /// <summary>Widest first: the order in which the kernels test for hardware support.</summary>
    public static readonly SimdPath[] All = { V512, V256, V128, Scalar };

    private const string Intrinsics = "global::System.Runtime.Intrinsics";
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";

    public bool IsScalar => Bits == 0;

    /// <summary>Elements per register.</summary>
    public int Width(Precision p) => IsScalar ? 1 : Bits / 8 / p.Bytes;

    public string Condition => $"{Intrinsics}.Vector{Bits}.IsHardwareAccelerated";

    public string Type(Precision p) => IsScalar ? p.Type : $"{Intrinsics}.Vector{Bits}<{p.Type}>";

    public string Zero(Precision p) => IsScalar ? p.Literal(0) : $"{Type(p)}.Zero";

    public string One(Precision p) => IsScalar ? p.Literal(1) : $"{Type(p)}.One";

    public string Load(string reference, string index) => IsScalar
        ? $"{Unsafe}.Add(ref {reference}, {index})"
        : $"{Intrinsics}.Vector{Bits}.LoadUnsafe(ref {reference}, (nuint)({index}))";

    public string Store(string value, string reference, string index) => IsScalar
        ? $"{Unsafe}.Add(ref {reference}, {index}) = {value};"
        : $"{Intrinsics}.Vector{Bits}.StoreUnsafe({value}, ref {reference}, (nuint)({index}));";

    /// <summary>a·b + c as the runtime rounds it on every path: fused where the hardware has an FMA (LstmGen.Numerics.Simd).</summary>
    public string MultiplyAdd(string a, string b, string c) => $"global::LstmGen.Numerics.Simd.MultiplyAdd({a}, {b}, {c})";

    public string Broadcast(string scalar) => IsScalar ? scalar : $"{Intrinsics}.Vector{Bits}.Create({scalar})";

    /// <summary>
    /// The bfloat16 in the low (<paramref name="high"/> false) or high 16 bits of each 32-bit lane of a float-typed
    /// value, widened to float: a shift or a mask, exact (a bfloat16 is the top half of a float).
    /// </summary>
    public string WidenBFloat16(string value, bool high)
    {
        if (IsScalar)
        {
            var bits = $"global::System.BitConverter.SingleToUInt32Bits({value})";
            return $"global::System.BitConverter.UInt32BitsToSingle({(high ? $"{bits} & 0xFFFF0000u" : $"{bits} << 16")})";
        }
        var vector = $"{Intrinsics}.Vector{Bits}";
        var lanes = $"{vector}.AsUInt32({value})";
        return high
            ? $"{vector}.AsSingle({lanes} & {vector}.Create(0xFFFF0000u))"
            : $"{vector}.AsSingle({vector}.ShiftLeft({lanes}, 16))";
    }

    /// <summary>min(max(v, −κ), κ), the clip of a pre-activation.</summary>
    public string Clamp(string value, string kappa) => IsScalar
        ? $"global::System.Math.Min(global::System.Math.Max({value}, -{kappa}), {kappa})"
        : $"{Intrinsics}.Vector{Bits}.Min({Intrinsics}.Vector{Bits}.Max({value}, -{kappa}), {kappa})";

    /// <summary>1 where −κ ≤ v ≤ κ (inclusive, as torch.clamp's gradient), else 0.</summary>
    public string InRange(string value, string kappa, Precision p) => IsScalar
        ? $"({value} >= -{kappa} && {value} <= {kappa} ? {p.Literal(1)} : {p.Literal(0)})"
        : $"{Intrinsics}.Vector{Bits}.ConditionalSelect({Intrinsics}.Vector{Bits}.GreaterThanOrEqual({value}, -{kappa}) & {Intrinsics}.Vector{Bits}.LessThanOrEqual({value}, {kappa}), {One(p)}, {Zero(p)})";
}
