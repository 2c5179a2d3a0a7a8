#!/usr/bin/python3
"""Writes specs/lstm-model/*: a PyTorch model saved as a plain state dict, for LstmModel.Load and `lstmgen run`.

Run from anywhere:  /usr/bin/python3 specs/make_lstm_model_fixture.py

* forecaster.safetensors  float32 state dict of Forecaster: `rnn` = nn.LSTM(3, 7, num_layers=2) and `fc` =
                          nn.Linear(7, 2), i.e. names rnn.weight_ih_l0 … rnn.bias_hh_l1, fc.weight, fc.bias
                          (deliberately not LstmGen's own `lstm.`/`head.` names).
* forecaster.json         inputs x [T=6, B=2, D=3] (time-major) and PyTorch's outputs fc(rnn(x)) [T, B, 2].
* forecaster.csv          batch row 0 of x as a CSV series (one row per step, three columns, with a header) and
  forecaster-out.csv      PyTorch's outputs for it, for the CLI test.

Deterministic (torch.manual_seed, one thread); rerunning leaves `git diff` empty.
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_network_golden import write_json, write_safetensors  # noqa: E402


class Forecaster(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.LSTM(3, 7, num_layers=2)
        self.fc = torch.nn.Linear(7, 2)

    def forward(self, x):
        return self.fc(self.rnn(x)[0])


def main():
    torch.set_num_threads(1)
    torch.manual_seed(20261203)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lstm-model")
    os.makedirs(here, exist_ok=True)
    model = Forecaster().eval()
    steps, batch = 6, 2
    x = torch.randn(steps, batch, 3)
    with torch.no_grad():
        y = model(x)
        y0 = model(x[:, :1, :])
    write_safetensors(os.path.join(here, "forecaster.safetensors"), model.state_dict())
    write_json(os.path.join(here, "forecaster.json"), {
        "reference": "torch " + torch.__version__ + ", Forecaster in specs/make_lstm_model_fixture.py",
        "steps": steps, "batch": batch, "inputSize": 3, "outputSize": 2,
        "x": [float(v) for v in x.flatten()],
        "y": [float(v) for v in y.flatten()],
    })
    with open(os.path.join(here, "forecaster.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("a,b,c\n")
        for t in range(steps):
            f.write(",".join(repr(float(v)) for v in x[t, 0]) + "\n")
    with open(os.path.join(here, "forecaster-out.csv"), "w", encoding="utf-8", newline="\n") as f:
        for t in range(steps):
            f.write(",".join(repr(float(v)) for v in y0[t, 0]) + "\n")


if __name__ == "__main__":
    main()
