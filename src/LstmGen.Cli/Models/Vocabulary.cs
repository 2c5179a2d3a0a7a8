using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LstmGen.Cli.Models;

/// <summary>
/// Tokens of a text model: every distinct character (<c>chars</c>), or the most frequent words and punctuation marks
/// plus <c>&lt;unk&gt;</c> at id 0 (<c>words</c>). Saved as JSON in the checkpoint's metadata.
/// </summary>
internal sealed partial class Vocabulary
{
    public const int MaxWords = 4000;
    public const string Unknown = "<unk>";
    private readonly Dictionary<string, int> _ids;

    private Vocabulary(string mode, string[] tokens)
    {
        Mode = mode;
        Tokens = tokens;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Length; i++) _ids[tokens[i]] = i;
    }

    public string Mode { get; }
    public string[] Tokens { get; }
    public int Count => Tokens.Length;
    public string Unit => Mode == "words" ? "words" : "chars";

    [GeneratedRegex(@"\w+|[^\w\s]")]
    private static partial Regex WordPattern();

    /// <summary>Splits text into tokens (characters as strings, or words and punctuation).</summary>
    public static List<string> Split(string text, string mode) => mode == "words"
        ? WordPattern().Matches(text).Select(m => m.Value).ToList()
        : text.EnumerateRunes().Select(r => r.ToString()).ToList();

    public static Vocabulary Build(IReadOnlyList<string> tokens, string mode)
    {
        if (mode == "chars") return new Vocabulary(mode, tokens.Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToArray());
        var frequent = tokens.GroupBy(t => t, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxWords).Select(g => g.Key);
        return new Vocabulary(mode, new[] { Unknown }.Concat(frequent).ToArray());
    }

    /// <summary>Token ids; in chars mode an unknown character is an error naming it, in words mode it maps to &lt;unk&gt;.</summary>
    public int[] Encode(IReadOnlyList<string> tokens)
    {
        var ids = new int[tokens.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            if (_ids.TryGetValue(tokens[i], out var id)) ids[i] = id;
            else if (Mode == "words") ids[i] = 0;
            else throw new CliException($"character '{Printable(tokens[i])}' is not in the model's vocabulary of {Count} characters");
        }
        return ids;
    }

    public string Decode(IEnumerable<int> ids) => Mode == "words"
        ? Detokenize(ids.Select(i => Tokens[i]))
        : string.Concat(ids.Select(i => Tokens[i]));

    private static string Detokenize(IEnumerable<string> words)
    {
        var sb = new StringBuilder();
        foreach (var w in words)
        {
            var punctuation = w.Length == 1 && char.IsPunctuation(w[0]) && w != "(" && w != "\"";
            if (sb.Length > 0 && !punctuation) sb.Append(' ');
            sb.Append(w);
        }
        return sb.ToString();
    }

    public static string Printable(string token) => token switch { "\n" => "\\n", "\t" => "\\t", "\r" => "\\r", " " => "␣", _ => token };

    public string ToJson() => JsonSerializer.Serialize(Tokens);

    public static Vocabulary FromJson(string mode, string json) => new(mode, JsonSerializer.Deserialize<string[]>(json) ?? Array.Empty<string>());
}
