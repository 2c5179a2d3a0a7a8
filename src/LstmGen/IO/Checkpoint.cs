using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text.Json;
using LstmGen.Layers;
using LstmGen.Optimizers;
using LstmGen.Training;

namespace LstmGen.IO;

/// <summary>What <see cref="Checkpoint.Load{T}"/> restored.</summary>
/// <param name="Step">The training step the checkpoint was taken after.</param>
/// <param name="Metadata">The caller's metadata saved with it.</param>
public sealed record CheckpointInfo(long Step, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Training checkpoints: weights, optimiser state (step count, learning rate, moment buffers), the schedule's state,
/// random generators (the network's dropout masks, the caller's data order) and the step, in one safetensors file
/// written atomically. Loading into freshly built objects and continuing gives bit-identical results to never
/// stopping (single-threaded).
/// </summary>
/// <remarks>
/// Tensors: <c>model.{name}</c> (the model's state dict) and <c>optimizer.{state}.{name}</c> (e.g.
/// <c>optimizer.exp_avg.lstm.weight_ih_l0</c>). Metadata: <c>format</c> = <c>lstmgen-checkpoint-1</c>, <c>step</c>,
/// <c>optimizer.*</c>, <c>schedule.*</c>, <c>random.{name}</c>, <c>user.{key}</c>. Loading validates the whole file
/// (structure, every tensor's presence, dtype and shape, optimiser and schedule types, generators) before changing anything.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The value of the <c>format</c> metadata key.</summary>
    public const string Format = "lstmgen-checkpoint-1";

    /// <summary>Name under which a network's or stack's dropout generator is saved.</summary>
    public const string DropoutGenerator = "dropout";

    /// <summary>Writes a checkpoint of the model, the optimiser and the optional schedule and generators.</summary>
    public static void Save<T>(string path, IParameterized<T> model, Optimizer<T> optimizer, long step,
        LearningRateSchedule? schedule = null, IReadOnlyDictionary<string, DeterministicRandom>? generators = null,
        IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be non-negative.");
        var writer = new SafeTensorsWriter();
        writer.AddMetadata("format", Format);
        writer.AddMetadata("step", step.ToString(CultureInfo.InvariantCulture));
        writer.AddMetadata("optimizer.type", TypeName(optimizer));
        writer.AddMetadata("optimizer.step_count", optimizer.StepCount.ToString(CultureInfo.InvariantCulture));
        writer.AddMetadata("optimizer.lr", optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture));
        writer.AddMetadata("optimizer.hyperparameters", ToJson(optimizer.Hyperparameters));
        if (schedule is not null)
        {
            writer.AddMetadata("schedule.type", schedule.GetType().Name);
            writer.AddMetadata("schedule.state", ToJson(schedule.GetState()));
        }
        foreach (var (name, generator) in AllGenerators(model, generators))
            writer.AddMetadata("random." + name, string.Join(",", Array.ConvertAll(generator.GetState(), w => w.ToString("x16", CultureInfo.InvariantCulture))));
        if (metadata is not null) foreach (var (key, value) in metadata) writer.AddMetadata("user." + key, value);
        ModelWeights.Add(writer, model.Parameters, "model.");
        foreach (var state in optimizer.StateNames)
            for (var i = 0; i < optimizer.Parameters.Count; i++)
            {
                var p = optimizer.Parameters[i];
                writer.Add<T>($"optimizer.{state}.{p.Name}", p.Shape, optimizer.State(state, i));
            }
        writer.Save(path);
    }

    /// <summary>
    /// Restores a checkpoint into objects built the same way as the saved ones, or throws a
    /// <see cref="SafeTensorsException"/> listing every mismatch and changes nothing.
    /// </summary>
    public static CheckpointInfo Load<T>(string path, IParameterized<T> model, Optimizer<T> optimizer,
        LearningRateSchedule? schedule = null, IReadOnlyDictionary<string, DeterministicRandom>? generators = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var file = SafeTensorsFile.Read(path);
        var problems = new List<(string Problem, string? Tensor)>();
        var meta = file.Metadata;
        string? Meta(string key)
        {
            if (meta.TryGetValue(key, out var value)) return value;
            problems.Add(($"missing metadata '{key}'.", null));
            return null;
        }

        var format = Meta("format");
        if (format is not null && format != Format)
            problems.Add(($"metadata 'format' is '{format}', expected '{Format}': not an LstmGen checkpoint.", null));
        long step = 0, stepCount = 0;
        double learningRate = 0;
        if (Meta("step") is { } stepText && !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step))
            problems.Add(($"metadata 'step' is '{stepText}', expected a non-negative integer.", null));
        if (Meta("optimizer.type") is { } type && type != TypeName(optimizer))
            problems.Add(($"the checkpoint's optimiser is {type}, this one is {TypeName(optimizer)}.", null));
        if (Meta("optimizer.step_count") is { } countText && !long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out stepCount))
            problems.Add(($"metadata 'optimizer.step_count' is '{countText}', expected a non-negative integer.", null));
        if (Meta("optimizer.lr") is { } rateText && !(double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out learningRate) && learningRate >= 0 && double.IsFinite(learningRate)))
            problems.Add(($"metadata 'optimizer.lr' is '{rateText}', expected a finite non-negative number.", null));

        Dictionary<string, double>? scheduleState = null;
        if (schedule is not null)
        {
            if (Meta("schedule.type") is { } scheduleType && scheduleType != schedule.GetType().Name)
                problems.Add(($"the checkpoint's schedule is {scheduleType}, this one is {schedule.GetType().Name}.", null));
            if (Meta("schedule.state") is { } stateText && (scheduleState = FromJson(stateText)) is null)
                problems.Add(("metadata 'schedule.state' is not a JSON object of numbers.", null));
            if (scheduleState is not null)
            {
                var stateProblems = new List<string>();
                schedule.CheckState(scheduleState, stateProblems);
                foreach (var problem in stateProblems) problems.Add(("metadata 'schedule.state': " + problem, null));
            }
        }

        var generatorStates = new List<(DeterministicRandom Generator, ulong[] State)>();
        foreach (var (name, generator) in AllGenerators(model, generators))
        {
            if (Meta("random." + name) is not { } text) continue;
            var words = text.Split(',');
            var state = new ulong[words.Length];
            var ok = words.Length == 4;
            for (var i = 0; ok && i < 4; i++) ok = ulong.TryParse(words[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out state[i]);
            if (ok && (state[0] | state[1] | state[2] | state[3]) != 0) generatorStates.Add((generator, state));
            else problems.Add(($"metadata 'random.{name}' is '{text}', expected four hexadecimal words, not all zero.", null));
        }

        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var staged = ModelWeights.Stage(file, model.Parameters, "model.", allowPrecisionConversion: false, problems, claimed);
        foreach (var state in optimizer.StateNames)
        {
            var buffers = new List<ParameterTensor<T>>();
            for (var i = 0; i < optimizer.Parameters.Count; i++)
            {
                // The live state buffer under the parameter's name and shape (its "gradient" is unused).
                var p = optimizer.Parameters[i];
                var memory = optimizer.StateMemory(state, i);
                buffers.Add(new ParameterTensor<T>(p.Name, p.ShapeArray(), memory, memory));
            }
            staged.AddRange(ModelWeights.Stage(file, buffers, $"optimizer.{state}.", allowPrecisionConversion: false, problems, claimed));
        }
        ModelWeights.ReportExtra(file, claimed, "", problems);
        ModelWeights.ThrowIfAny(file, problems);

        foreach (var apply in staged) apply();
        optimizer.RestoreStepCount(stepCount);
        optimizer.LearningRate = learningRate;
        if (schedule is not null && scheduleState is not null) schedule.SetState(scheduleState);
        foreach (var (generator, state) in generatorStates) generator.SetState(state);
        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in meta)
            if (key.StartsWith("user.", StringComparison.Ordinal)) user[key[5..]] = value;
        return new CheckpointInfo(step, user);
    }

    private static IEnumerable<(string Name, DeterministicRandom Generator)> AllGenerators<T>(IParameterized<T> model,
        IReadOnlyDictionary<string, DeterministicRandom>? generators)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dropout = model switch
        {
            LstmNetwork<T> network => network.Lstm.DropoutRandom,
            LstmStack<T> stack => stack.DropoutRandom,
            _ => null,
        };
        if (dropout is not null) yield return (DropoutGenerator, dropout);
        if (generators is null) yield break;
        foreach (var (name, generator) in generators)
        {
            if (name == DropoutGenerator && dropout is not null)
                throw new ArgumentException($"The generator name '{DropoutGenerator}' is taken by the network's dropout.", nameof(generators));
            ArgumentNullException.ThrowIfNull(generator, nameof(generators));
            yield return (name, generator);
        }
    }

    private static string TypeName(object value)
    {
        var name = value.GetType().Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static string ToJson(IReadOnlyDictionary<string, double> values)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            // Strings, so infinities (e.g. a plateau schedule's initial best) and every bit survive: "R" round-trips.
            foreach (var (key, value) in values) json.WriteString(key, value.ToString("R", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Dictionary<string, double>? FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String
                    || !double.TryParse(property.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    return null;
                result[property.Name] = value;
            }
            return result;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null; // a string System.Text.Json cannot decode, e.g. an escaped lone surrogate
        }
    }
}
