namespace CharModel;

/// <summary>The distinct characters of a text, each with an id (in ordinal order).</summary>
public sealed class Vocabulary
{
    private readonly char[] _characters;
    private readonly Dictionary<char, int> _ids;

    public Vocabulary(string text)
    {
        _characters = text.Distinct().Order().ToArray();
        _ids = _characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    public int Count => _characters.Length;

    public int Id(char character) => _ids[character];

    public char Character(int id) => _characters[id];

    public int[] Encode(string text) => text.Select(Id).ToArray();
}
