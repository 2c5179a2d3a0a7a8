using System;
using System.Text;

namespace LstmGen.Generators.Helpers;

/// <summary>A minimal indented writer for generated source; newlines are always '\n' so output is identical on every OS.</summary>
internal sealed class IndentedTextWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _depth;

    public void WriteLine(string line = "")
    {
        if (line.Length == 0)
        {
            _builder.Append('\n');
            return;
        }
        foreach (var part in line.Split('\n'))
        {
            if (part.Length > 0)
            {
                for (var i = 0; i < _depth; i++) _builder.Append(IndentUnit);
                _builder.Append(part);
            }
            _builder.Append('\n');
        }
    }

    /// <summary>Writes "{" (or the given opener), then indents until the returned block is disposed.</summary>
    public Block Open(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _depth++;
        return new Block(this);
    }

    /// <summary>Writes a bare "{" and indents until the returned block is disposed.</summary>
    public Block Open()
    {
        WriteLine("{");
        _depth++;
        return new Block(this);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct Block : IDisposable
    {
        private readonly IndentedTextWriter _writer;

        public Block(IndentedTextWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._depth--;
            _writer.WriteLine("}");
        }
    }
}
