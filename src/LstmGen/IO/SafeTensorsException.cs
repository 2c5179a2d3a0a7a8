using System.Collections.Generic;
using System.IO;

namespace LstmGen.IO;

/// <summary>
/// A safetensors file that cannot be read or does not fit the model. The message names the file, each offending
/// tensor and what was expected; <see cref="Problems"/> lists them one by one. Nothing was loaded.
/// </summary>
public sealed class SafeTensorsException : IOException
{
    /// <summary>Creates the exception from one or more problems.</summary>
    public SafeTensorsException(string source, IReadOnlyList<string> problems, string? tensorName = null)
        : base(Format(source, problems))
    {
        FileName = source;
        Problems = problems;
        TensorName = tensorName;
    }

    /// <summary>The file (or stream description) that was read.</summary>
    public string FileName { get; }

    /// <summary>Every problem found, each naming its tensor when there is one.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The first tensor a problem names, if any.</summary>
    public string? TensorName { get; }

    private static string Format(string source, IReadOnlyList<string> problems)
        => problems.Count == 1 ? $"{source}: {problems[0]}" : $"{source}: {problems.Count} problems:\n  " + string.Join("\n  ", problems);
}
