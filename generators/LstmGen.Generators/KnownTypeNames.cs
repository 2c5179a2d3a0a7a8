namespace LstmGen.Generators;

/// <summary>Metadata names of the runtime types the generator matches or emits (a test checks them against typeof).</summary>
internal static class KnownTypeNames
{
    public const string LstmCellAttribute = "LstmGen.LstmCellAttribute";
    public const string ILstmCell = "LstmGen.ILstmCell`1";
    public const string LstmParameters = "LstmGen.LstmParameters`2";
    public const string Lstm = "LstmGen.Lstm";
    public const string PeepholeAttribute = "LstmGen.PeepholeAttribute";
    public const string LayerNormAttribute = "LstmGen.LayerNormAttribute";
    public const string ForgetBiasAttribute = "LstmGen.ForgetBiasAttribute";
    public const string CoupledInputForgetGateAttribute = "LstmGen.CoupledInputForgetGateAttribute";
    public const string ClipAttribute = "LstmGen.ClipAttribute";
    public const string Vector256 = "System.Runtime.Intrinsics.Vector256";
    public const string Vector512 = "System.Runtime.Intrinsics.Vector512";
    public const string IFloatingPointIeee754 = "System.Numerics.IFloatingPointIeee754`1";
}
