"""Small ONNX models exported by PyTorch (torch.onnx.export, opset 14) with the outputs PyTorch computes for a fixed
input, for the importer's tests (tests/LstmGen.Onnx.Tests/PyTorchFixtureTests.cs).

Run with Debian's python3-torch (1.13): /usr/bin/python3 specs/onnx/make_onnx_fixtures.py
Writes specs/onnx/fixtures/<name>.onnx and <name>.json; the output is deterministic (fixed seeds)."""
import json
import os

import torch

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


class LstmHead(torch.nn.Module):
    """nn.LSTM + nn.Linear applied at every step (MatMul + Add in ONNX)."""

    def __init__(self, d, h, layers, bidirectional, outputs, batch_first=False):
        super().__init__()
        self.lstm = torch.nn.LSTM(d, h, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first)
        self.head = torch.nn.Linear(h * (2 if bidirectional else 1), outputs)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y)


class LstmStates(torch.nn.Module):
    """A plain nn.LSTM returning (y, h_n, c_n): three graph outputs, the first is the network's."""

    def __init__(self, d, h, layers, batch_first):
        super().__init__()
        self.lstm = torch.nn.LSTM(d, h, num_layers=layers, batch_first=batch_first)

    def forward(self, x):
        y, (h, c) = self.lstm(x)
        return y, h, c


class LstmGemmHead(torch.nn.Module):
    """Steps and samples merged into rows before the head: nn.Linear on a 2-D tensor is a Gemm in ONNX."""

    def __init__(self, d, h, outputs):
        super().__init__()
        self.h = h
        self.lstm = torch.nn.LSTM(d, h)
        self.head = torch.nn.Linear(h, outputs)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y.reshape(-1, self.h))


def export(name, module, x):
    module.eval()
    with torch.no_grad():
        expected = module(x)
    if isinstance(expected, tuple):
        expected = expected[0]
    path = os.path.join(HERE, name + ".onnx")
    outputs = ["output", "h_n", "c_n"] if isinstance(module, LstmStates) else ["output"]
    torch.onnx.export(module, x, path, input_names=["input"], output_names=outputs, opset_version=14,
                      dynamic_axes={"input": {0: "dim0", 1: "dim1"}})
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump({"input_shape": list(x.shape), "input": [float(v) for v in x.flatten()],
                   "output_shape": list(expected.shape), "output": [float(v) for v in expected.flatten()]}, f)
        f.write("\n")
    print(name, tuple(x.shape), "->", tuple(expected.shape))


def main():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(16)
    export("lstm_head", LstmHead(3, 4, 1, False, 2), torch.randn(5, 2, 3))
    export("bilstm2_head", LstmHead(3, 4, 2, True, 2), torch.randn(6, 3, 3))
    export("lstm2_batch_first_states", LstmStates(3, 4, 2, True), torch.randn(2, 5, 3))
    export("lstm_gemm_head", LstmGemmHead(3, 4, 2), torch.randn(4, 2, 3))


if __name__ == "__main__":
    main()
