#!/usr/bin/python3
"""Writes the LstmGen network golden files: specs/golden-networks/*.

Run from anywhere:  /usr/bin/python3 specs/make_network_golden.py

Format: specs/golden-networks/README.md.  Everything comes from PyTorch itself (torch.nn.LSTM,
nn.Embedding, nn.Linear, pack_padded_sequence, autograd); nothing is hand-written except the
safetensors writer (the `safetensors` package is not needed).

* *.json            multi-layer / bidirectional nn.LSTM in float64: inputs, initial state, outputs,
                    h_n, c_n and the gradient of L = sum(output*up.output) + sum(h_n*up.h_n) +
                    sum(c_n*up.c_n) with respect to x, h0, c0 and every parameter.  Cases with
                    "lengths" run the batch as a PackedSequence (enforce_sorted=False) and pad the
                    output back to T steps (zeros), so padded steps get no gradient.
* bilstm2_3x4.safetensors   the state dict of the bilstm2_3x4_T5_B3 case (float64, nn.LSTM names).
* tagger_f32.safetensors    a float32 module {embedding, lstm (2 layers, bidirectional), head} and
  tagger_f32.json           token ids, lengths and the logits PyTorch computes for them.

Deterministic: one torch.Generator per case seeded from the CRC-32 of the case name, single thread;
numbers are Python repr (round-trip).  Rerunning leaves `git diff` empty.
"""

import json
import os
import struct
import zlib

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "golden-networks")

# (name, D, H, layers, bidirectional, T, B, lengths or None)
CASES = [
    ("bilstm2_3x4_T5_B3", 3, 4, 2, True, 5, 3, None),
    ("bilstm2_3x4_T6_B4_packed", 3, 4, 2, True, 6, 4, [4, 6, 1, 4]),
    ("lstm3_3x4_T4_B2", 3, 4, 3, False, 4, 2, None),
    ("lstm3_3x4_T5_B3_packed", 3, 4, 3, False, 5, 3, [2, 5, 3]),
]


def generator(name):
    g = torch.Generator()
    g.manual_seed(zlib.crc32(name.encode()))
    return g


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def run_lstm(lstm, x, h0, c0, lengths):
    if lengths is None:
        return lstm(x, (h0, c0))
    packed = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    out, (h_n, c_n) = lstm(packed, (h0, c0))
    out, _ = pad_packed_sequence(out, total_length=x.shape[0])
    return out, (h_n, c_n)


def make_case(name, d, h, layers, bidirectional, steps, batch, lengths):
    g = generator(name)
    dirs = 2 if bidirectional else 1
    lstm = torch.nn.LSTM(d, h, num_layers=layers, bidirectional=bidirectional).double()
    with torch.no_grad():
        for p in lstm.parameters():
            p.copy_(torch.rand(p.shape, generator=g, dtype=torch.float64) - 0.5)
    x = torch.randn(steps, batch, d, generator=g, dtype=torch.float64, requires_grad=True)
    h0 = (0.5 * torch.randn(layers * dirs, batch, h, generator=g, dtype=torch.float64)).requires_grad_()
    c0 = (0.5 * torch.randn(layers * dirs, batch, h, generator=g, dtype=torch.float64)).requires_grad_()
    up_out = torch.randn(steps, batch, dirs * h, generator=g, dtype=torch.float64)
    up_h = torch.randn(layers * dirs, batch, h, generator=g, dtype=torch.float64)
    up_c = torch.randn(layers * dirs, batch, h, generator=g, dtype=torch.float64)
    out, (h_n, c_n) = run_lstm(lstm, x, h0, c0, lengths)
    loss = (out * up_out).sum() + (h_n * up_h).sum() + (c_n * up_c).sum()
    loss.backward()
    if lengths is not None:
        for b, length in enumerate(lengths):
            assert float(out[length:, b].abs().sum()) == 0.0, "padded outputs must be zero"
            assert float(x.grad[length:, b].abs().sum()) == 0.0, "padded inputs must get no gradient"
    names = [n for n, _ in lstm.named_parameters()]
    doc = {
        "reference": f"torch {torch.__version__} nn.LSTM(float64)" + (", PackedSequence" if lengths else ""),
        "inputSize": d, "hiddenSize": h, "numLayers": layers, "bidirectional": bidirectional,
        "steps": steps, "batch": batch, "lengths": lengths,
        "params": {n: flat(p) for n, p in lstm.named_parameters()},
        "x": flat(x), "h0": flat(h0), "c0": flat(c0),
        "output": flat(out), "h_n": flat(h_n), "c_n": flat(c_n),
        "upstream": {"output": flat(up_out), "h_n": flat(up_h), "c_n": flat(up_c)},
        "grads": dict([("x", flat(x.grad)), ("h0", flat(h0.grad)), ("c0", flat(c0.grad))]
                      + [(n, flat(p.grad)) for n, p in zip(names, lstm.parameters())]),
    }
    write_json(os.path.join(OUT_DIR, name + ".json"), doc)
    return lstm


def write_json(path, doc):
    """One top-level key per line (nested objects: one key per line), arrays compact."""
    lines = ["{"]
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        if isinstance(value, dict):
            lines.append(f"  {json.dumps(key)}: {{")
            sub = list(value.items())
            for j, (k2, v2) in enumerate(sub):
                lines.append(f"    {json.dumps(k2)}: {json.dumps(v2, separators=(', ', ': '))}{',' if j + 1 < len(sub) else ''}")
            lines.append(f"  }}{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, separators=(', ', ': '))}{comma}")
    lines.append("}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def write_safetensors(path, tensors, metadata=None):
    """The safetensors format by hand: u64 little-endian header length, JSON header, raw little-endian data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs, offset = [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        dtype, np_type = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8")}[t.dtype]
        data = t.numpy().astype(np_type).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # pad the header to 8 bytes, as the safetensors library does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


class Tagger(torch.nn.Module):
    """The shape of LstmNetwork<float>: embedding -> nn.LSTM -> linear head at every step."""

    def __init__(self, vocab, dim, hidden, layers, bidirectional, classes):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, dim)
        self.lstm = torch.nn.LSTM(dim, hidden, num_layers=layers, bidirectional=bidirectional)
        self.head = torch.nn.Linear(hidden * (2 if bidirectional else 1), classes)

    def forward(self, tokens, lengths):
        x = self.embedding(tokens)
        packed = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, total_length=tokens.shape[0])
        logits = self.head(out)
        for b, length in enumerate(lengths):  # LstmNetwork writes zeros on padded steps
            logits[length:, b] = 0
        return logits


def make_tagger():
    name = "tagger_f32"
    g = generator(name)
    torch.manual_seed(zlib.crc32(name.encode()))
    model = Tagger(vocab=11, dim=3, hidden=4, layers=2, bidirectional=True, classes=5).float()
    steps, batch, lengths = 7, 3, [7, 2, 5]
    tokens = torch.randint(0, 11, (steps, batch), generator=g)
    with torch.no_grad():
        logits = model(tokens, lengths)
    write_safetensors(os.path.join(OUT_DIR, name + ".safetensors"), model.state_dict(),
                      metadata={"format": "pt", "producer": "specs/make_network_golden.py"})
    write_json(os.path.join(OUT_DIR, name + ".json"), {
        "reference": f"torch {torch.__version__}, float32, module Tagger in specs/make_network_golden.py",
        "vocabulary": 11, "embeddingDim": 3, "hiddenSize": 4, "numLayers": 2, "bidirectional": True, "classes": 5,
        "steps": steps, "batch": batch, "lengths": lengths,
        "tokens": [int(v) for v in tokens.reshape(-1).tolist()],
        "logits": flat(logits.double()),
    })


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for case in CASES:
        lstm = make_case(*case)
        if case[0] == "bilstm2_3x4_T5_B3":
            write_safetensors(os.path.join(OUT_DIR, "bilstm2_3x4.safetensors"), lstm.state_dict())
        print("wrote", case[0])
    make_tagger()
    print("wrote tagger_f32")


if __name__ == "__main__":
    main()
