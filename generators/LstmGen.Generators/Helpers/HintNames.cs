using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LstmGen.Generators.Models;

namespace LstmGen.Generators.Helpers;

/// <summary>
/// Hint names of the generated files. Roslyn compares hint names ignoring case and rejects characters such as '@',
/// while type names are case-sensitive and may hold any identifier character, so a hint name is the cell's metadata
/// name reduced to <c>[A-Za-z0-9_.]</c>, with a hash of the exact name appended when that reduction is lossy or two
/// cells would otherwise meet. Two cells with the same metadata name (an error the compiler reports) emit nothing.
/// </summary>
internal static class HintNames
{
    /// <summary>The plan for one compilation: which names need the hash suffix, and which must not be emitted.</summary>
    internal sealed record Plan(EquatableArray<string> Suffixed, EquatableArray<string> Dropped)
    {
        public static Plan Empty { get; } = new(EquatableArray<string>.Empty, EquatableArray<string>.Empty);
    }

    /// <summary>Decides the hint names of all emitted cells from their metadata names.</summary>
    public static Plan CreatePlan(ImmutableArray<string> metadataNames)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var byPlainHint = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in metadataNames)
        {
            counts[name] = counts.TryGetValue(name, out var n) ? n + 1 : 1;
            var plain = Sanitize(name, out _);
            byPlainHint[plain] = byPlainHint.TryGetValue(plain, out var m) ? m + 1 : 1;
        }
        var suffixed = new SortedSet<string>(StringComparer.Ordinal);
        var dropped = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in metadataNames)
        {
            if (counts[name] > 1) dropped.Add(name);
            else if (byPlainHint[Sanitize(name, out _)] > 1) suffixed.Add(name);
        }
        return suffixed.Count == 0 && dropped.Count == 0 ? Plan.Empty : new Plan(suffixed.ToEquatableArray(), dropped.ToEquatableArray());
    }

    /// <summary>The hint name of the cell <paramref name="metadataName"/> under <paramref name="plan"/>, or null to emit nothing.</summary>
    public static string? For(string metadataName, Plan plan)
    {
        if (Contains(plan.Dropped, metadataName)) return null;
        var plain = Sanitize(metadataName, out var lossy);
        return lossy || Contains(plan.Suffixed, metadataName)
            ? $"{plain}.{Hash(metadataName)}.g.cs"
            : $"{plain}.g.cs";
    }

    /// <summary>Keeps ASCII letters, digits, '_' and '.', writes nesting '+' as '.'; anything else becomes '_' (then <paramref name="lossy"/>).</summary>
    private static string Sanitize(string name, out bool lossy)
    {
        lossy = false;
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.')
            {
                builder.Append(c);
            }
            else if (c == '+')
            {
                builder.Append('.'); // nesting: "N.Outer+Cell" → "N.Outer.Cell"
            }
            else
            {
                builder.Append('_');
                lossy = true;
            }
        }
        return builder.ToString();
    }

    /// <summary>FNV-1a (64 bit) of the UTF-16 code units: stable across processes, unlike string.GetHashCode.</summary>
    private static string Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static bool Contains(EquatableArray<string> names, string name)
    {
        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
