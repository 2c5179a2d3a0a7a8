using NUnit.Framework;

// Most of the run is Roslyn binding generated code, one compilation per core: run fixtures side by side.
[assembly: Parallelizable(ParallelScope.Fixtures)]
