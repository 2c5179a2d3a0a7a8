#!/usr/bin/python3
"""Loads a safetensors file written by LstmGen into PyTorch and checks its outputs.

Usage:  /usr/bin/python3 specs/check_safetensors.py MODEL.safetensors CASE.json

CASE.json (written by the C# test) holds the module shape, token ids, lengths and the logits LstmGen
computed.  The script parses the file by hand (no `safetensors` package), loads it into the Tagger
module of make_network_golden.py with load_state_dict(strict=True) — so every name and shape must
match PyTorch's — runs the same batch and prints the normwise error max|d| / max|ref|.
Exit code 0 when the error is below the tolerance in CASE.json, 1 otherwise.
"""

import json
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from make_network_golden import Tagger  # noqa: E402

DTYPES = {"F32": ("<f4", torch.float32), "F64": ("<f8", torch.float64)}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        np_type, torch_type = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=np_type).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy()).to(torch_type)
    return tensors


def main():
    model_path, case_path = sys.argv[1], sys.argv[2]
    with open(case_path, encoding="utf-8") as f:
        case = json.load(f)
    model = Tagger(case["vocabulary"], case["embeddingDim"], case["hiddenSize"], case["numLayers"],
                   case["bidirectional"], case["classes"]).float()
    model.load_state_dict(read_safetensors(model_path), strict=True)
    tokens = torch.tensor(case["tokens"]).reshape(case["steps"], case["batch"])
    with torch.no_grad():
        logits = model(tokens, case["lengths"]).double().reshape(-1)
    ours = torch.tensor(case["logits"], dtype=torch.float64)
    error = float((logits - ours).abs().max() / logits.abs().max())
    print(f"normwise error {error:.3e} (tolerance {case['tolerance']:.0e})")
    sys.exit(0 if error <= case["tolerance"] else 1)


if __name__ == "__main__":
    main()
