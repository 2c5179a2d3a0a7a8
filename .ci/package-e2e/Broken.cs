// Cells.cs of the e2e broken library (.ci/package-e2e.sh copies it into a project made by `dotnet new classlib`).
// Its build must fail with exactly LSTM0001 and LSTM0004: the generator reports both and emits nothing for them.
using LstmGen;

namespace E2eBroken;

[LstmCell(inputSize: 4, hiddenSize: 0)]      // LSTM0004: a size must be between 1 and 4096
public partial struct ZeroHidden;

[LstmCell(inputSize: 2, hiddenSize: 3)]      // LSTM0001: the cell type must be partial
public struct NotPartial;
