namespace LstmGen;

/// <summary>How a batch of sequences is laid out in a flat buffer of rows (one row = one step of one sample).</summary>
public enum SequenceLayout
{
    /// <summary>Row <c>t·B + b</c>: all samples of step 0, then step 1, … (PyTorch's default, <c>batch_first=False</c>).</summary>
    TimeMajor,

    /// <summary>Row <c>b·T + t</c>: all steps of sample 0, then sample 1, … (<c>batch_first=True</c>).</summary>
    BatchFirst,
}
