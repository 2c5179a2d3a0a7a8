using System;

namespace LstmGen.Cli;

/// <summary>A problem with the user's input: printed as one line, exit code 2.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message) : base(message) { }
}
