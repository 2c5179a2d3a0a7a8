namespace LstmGen.Generators;

/// <summary>Metadata names of the runtime types the generator matches or emits (a test checks them against typeof).</summary>
internal static class KnownTypeNames
{
    public const string LstmCellAttribute = "LstmGen.LstmCellAttribute";
    public const string ILstmCell = "LstmGen.ILstmCell`1";
}
