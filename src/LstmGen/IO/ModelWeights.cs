using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.IO;

/// <summary>How strictly <see cref="ModelWeights.Load{T}(string, IParameterized{T}, WeightLoadOptions?)"/> matches a file to a model.</summary>
public sealed record WeightLoadOptions
{
    /// <summary>Accept F32 tensors into a double model and F64 into a float model (default: the dtype must match).</summary>
    public bool AllowPrecisionConversion { get; init; }

    /// <summary>Ignore tensors the model does not have (default: they are an error, like PyTorch's <c>strict=True</c>).</summary>
    public bool AllowExtraTensors { get; init; }

    /// <summary>A prefix of the file's names, e.g. <c>lstm.</c> to load an <see cref="Layers.LstmStack{T}"/> out of a whole module's file.</summary>
    public string Prefix { get; init; } = "";
}

/// <summary>
/// Saves and loads a model's parameters as safetensors with their state-dict names, so files move between LstmGen and
/// PyTorch (<c>model.load_state_dict(load_file(path))</c> and back). Variant tensors (peepholes, layer-norm gains)
/// come from the cells' layouts, so they are saved and loaded like the standard ones.
/// </summary>
/// <remarks>
/// Loading checks everything before it changes anything: every tensor of the model must be in the file with the
/// model's dtype and shape, and (unless allowed) the file may hold nothing else. All problems are reported together in
/// one <see cref="SafeTensorsException"/> naming each tensor and what was expected; the model is then untouched.
/// </remarks>
public static class ModelWeights
{
    /// <summary>Writes every parameter of <paramref name="model"/> to <paramref name="path"/> (atomically).</summary>
    public static void Save<T>(string path, IParameterized<T> model, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var writer = new SafeTensorsWriter();
        writer.AddMetadata("format", "pt");
        writer.AddMetadata("producer", "LstmGen");
        if (metadata is not null) foreach (var (key, value) in metadata) writer.AddMetadata(key, value);
        Add(writer, model.Parameters, "");
        writer.Save(path);
    }

    /// <summary>Loads every parameter of <paramref name="model"/> from <paramref name="path"/>, or throws and changes nothing.</summary>
    public static void Load<T>(string path, IParameterized<T> model, WeightLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        Load(SafeTensorsFile.Read(path), model.Parameters, options);
    }

    /// <summary>Loads <paramref name="parameters"/> from an already read file, or throws and changes nothing.</summary>
    public static void Load<T>(SafeTensorsFile file, IReadOnlyList<ParameterTensor<T>> parameters, WeightLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new WeightLoadOptions();
        var problems = new List<(string Problem, string? Tensor)>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var staged = Stage(file, parameters, options.Prefix, options.AllowPrecisionConversion, problems, claimed);
        if (!options.AllowExtraTensors) ReportExtra(file, claimed, options.Prefix, problems);
        ThrowIfAny(file, problems);
        foreach (var apply in staged) apply();
    }

    /// <summary>Adds <paramref name="parameters"/> to a writer under <paramref name="prefix"/> + name.</summary>
    public static void Add<T>(SafeTensorsWriter writer, IReadOnlyList<ParameterTensor<T>> parameters, string prefix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var p in parameters) writer.Add<T>(prefix + p.Name, p.Shape, p.Value.Span);
    }

    /// <summary>
    /// Checks each expected tensor against the file and decodes it into a new array; returns the actions that copy
    /// the arrays in (to run only when there is no problem at all).
    /// </summary>
    internal static List<Action> Stage<T>(SafeTensorsFile file, IReadOnlyList<ParameterTensor<T>> parameters, string prefix,
        bool allowPrecisionConversion, List<(string Problem, string? Tensor)> problems, HashSet<string> claimed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var expectedDType = SafeTensorsDType.Of<T>();
        var staged = new List<Action>();
        foreach (var p in parameters)
        {
            var name = prefix + p.Name;
            if (!file.TryGetTensor(name, out var info))
            {
                problems.Add(($"missing tensor '{name}' (expected {expectedDType} {p.ShapeText}).", name));
                continue;
            }
            claimed.Add(name);
            var dtypeOk = info.DType == expectedDType
                || allowPrecisionConversion && info.DType is SafeTensorsDType.F32 or SafeTensorsDType.F64;
            if (!dtypeOk)
            {
                problems.Add(($"tensor '{name}' has dtype {info.DType}, expected {expectedDType}"
                    + (info.DType is SafeTensorsDType.F32 or SafeTensorsDType.F64 ? " (allow precision conversion to convert)." : "."), name));
            }
            if (!SameShape(info.Shape, p.Shape))
                problems.Add(($"tensor '{name}' has shape {info.ShapeText}, expected {p.ShapeText}.", name));
            if (!dtypeOk || !SameShape(info.Shape, p.Shape)) continue;
            var values = new T[p.Length];
            file.Decode<T>(info, values);
            var target = p.Value;
            staged.Add(() => values.CopyTo(target.Span));
        }
        return staged;
    }

    internal static void ReportExtra(SafeTensorsFile file, HashSet<string> claimed, string prefix, List<(string Problem, string? Tensor)> problems)
    {
        foreach (var t in file.Tensors)
        {
            if (claimed.Contains(t.Name) || !t.Name.StartsWith(prefix, StringComparison.Ordinal) && prefix.Length > 0) continue;
            problems.Add(($"unexpected tensor '{t.Name}' ({t.DType} {t.ShapeText}): the model has no tensor of that name.", t.Name));
        }
    }

    internal static void ThrowIfAny(SafeTensorsFile file, List<(string Problem, string? Tensor)> problems)
    {
        if (problems.Count == 0) return;
        string? first = null;
        var messages = new List<string>();
        foreach (var (problem, tensor) in problems)
        {
            messages.Add(problem);
            first ??= tensor;
        }
        throw new SafeTensorsException(file.Source, messages, first);
    }

    private static bool SameShape(long[] file, ReadOnlySpan<int> model)
    {
        if (file.Length != model.Length) return false;
        for (var i = 0; i < file.Length; i++)
            if (file[i] != model[i]) return false;
        return true;
    }
}
