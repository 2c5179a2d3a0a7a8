// Program.fs of the e2e F# app (.ci/package-e2e.sh copies it into a project made by `dotnet new console -lang F#`).
// Package: LstmGen.Kernels only — F# cannot run the generator, so it uses a precompiled cell.
open System
open LstmGen
open LstmGen.Kernels

let T, B = 10, 2
let parameters = LstmParameters<Standard16x32, float32>()
parameters.InitializePyTorchDefault(Random 0)
let x = Array.init (T * B * 16) (fun i -> float32 (sin (float i)))
let output = Array.zeroCreate<float32> (T * B * 32)
let hT, cT = Array.zeroCreate<float32> (B * 32), Array.zeroCreate<float32> (B * 32)
let workspace = LstmWorkspace<Standard16x32, float32>(T, B)
Lstm.Forward(parameters, workspace, T, B, ReadOnlySpan x, Span output, Span hT, Span cT)

let gradients = LstmParameters<Standard16x32, float32>()
let dOutput = Array.create (T * B * 32) 1.0f
let dx = Array.zeroCreate<float32> (T * B * 16)
let dh0, dc0 = Array.zeroCreate<float32> (B * 32), Array.zeroCreate<float32> (B * 32)
let zeros = Array.zeroCreate<float32> (B * 32)
Lstm.Backward(parameters, workspace, gradients, T, B, ReadOnlySpan dOutput, ReadOnlySpan zeros, ReadOnlySpan zeros,
              Span dx, Span dh0, Span dc0)

let found = LstmKernels.Find(16, 32)
let ok =
    not (isNull (box found)) && found.CellType = typeof<Standard16x32>
    && Array.forall Single.IsFinite output && hT = output.[(T - 1) * B * 32 ..]
    && Array.exists (fun g -> g <> 0.0f) dx && Array.exists (fun g -> g <> 0.0f) (gradients.Data.ToArray())
printfn "F#: %d shipped kernels; Standard16x32 hT[0] = %f, dx[0] = %f" LstmKernels.All.Count hT.[0] dx.[0]
printfn "%s" (if ok then "e2e fsharp: OK" else "e2e fsharp: FAILED")
exit (if ok then 0 else 1)
