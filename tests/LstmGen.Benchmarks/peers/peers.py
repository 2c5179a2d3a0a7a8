#!/usr/bin/python3
"""PyTorch side of the peer comparison (run by run.sh; not part of CI).

  peers.py prepare DIR   writes weights/inputs per shape, exports the ONNX models, times torch's nn.LSTM
  peers.py report DIR    checks that torch, ONNX Runtime and LstmGen agree, prints the comparison table

Files per shape (little-endian float32): {D}x{H}_{B}.params (PyTorch layout: weight_ih, weight_hh, bias_ih,
bias_hh), .x [T,B,D], .dy [T,B,H] (loss = sum(output * dy)), .onnx, and each side's .{side}.out / .grad / .dx.
"""
import json
import os
import sys
import time

import numpy as np
import torch

GRID = ["16x32/1", "32x64/1", "64x128/1", "64x128/32", "128x256/32", "256x512/1", "256x512/32"]
STEPS = int(os.environ.get("STEPS", "100"))
PEAK_PER_CORE = 241.0  # GFLOP/s, measured FP32 FMA peak with Vector512 on this machine kind (issue 7)


def parse(shape):
    dh, b = shape.split("/")
    d, h = dh.split("x")
    return int(d), int(h), int(b)


def stem(directory, shape):
    d, h, b = parse(shape)
    return os.path.join(directory, f"{d}x{h}_{b}")


def shapes():
    return os.environ.get("SHAPES", ",".join(GRID)).split(",")


def median_time(call, seconds=0.4):
    """Median seconds per call: warm-up for a quarter of the budget, then 7 samples of n calls."""
    start = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - start < seconds / 4:
        call()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    n = max(1, int(seconds / 7 / per_call))
    samples = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(n):
            call()
        samples.append((time.perf_counter() - t0) / n)
    samples.sort()
    return samples[3]


def prepare(directory, threads):
    torch.set_num_threads(threads)
    os.makedirs(directory, exist_ok=True)
    timings = {}
    for shape in shapes():
        d, h, b = parse(shape)
        s = stem(directory, shape)
        torch.manual_seed(1234 + d + h + b)
        lstm = torch.nn.LSTM(d, h)  # U(±1/sqrt(H)) init, time-major input [T, B, D]
        x = torch.rand(STEPS, b, d) * 2 - 1
        dy = torch.rand(STEPS, b, h) * 2 - 1
        params = torch.cat([lstm.weight_ih_l0.detach().flatten(), lstm.weight_hh_l0.detach().flatten(),
                            lstm.bias_ih_l0.detach(), lstm.bias_hh_l0.detach()])
        params.numpy().astype("<f4").tofile(s + ".params")
        x.numpy().astype("<f4").tofile(s + ".x")
        dy.numpy().astype("<f4").tofile(s + ".dy")

        with torch.no_grad():
            out, _ = lstm(x)
        out.numpy().astype("<f4").tofile(s + ".torch.out")
        xg = x.clone().requires_grad_(True)
        out, _ = lstm(xg)
        (out * dy).sum().backward()
        torch.cat([lstm.weight_ih_l0.grad.flatten(), lstm.weight_hh_l0.grad.flatten(),
                   lstm.bias_ih_l0.grad, lstm.bias_hh_l0.grad]).numpy().astype("<f4").tofile(s + ".torch.grad")
        xg.grad.numpy().astype("<f4").tofile(s + ".torch.dx")

        torch.onnx.export(lstm, (x,), s + ".onnx", input_names=["x"], output_names=["y", "hn", "cn"], opset_version=14)

        def inference():
            with torch.no_grad():
                lstm(x)

        def training():
            lstm.zero_grad(set_to_none=False)
            xr = x.requires_grad_(True)
            o, _ = lstm(xr)
            (o * dy).sum().backward()

        timings[shape] = {"inference_us": median_time(inference) * 1e6, "training_us": median_time(training) * 1e6}
        print(f"torch {shape}: inference {timings[shape]['inference_us']:.1f} us, training {timings[shape]['training_us']:.1f} us",
              file=sys.stderr)
    with open(os.path.join(directory, "torch.json"), "w") as f:
        json.dump(timings, f)


def rel(a, b):
    """Normwise relative difference max|a - b| / max|b|."""
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


def report(directory, threads):
    torch_t = json.load(open(os.path.join(directory, "torch.json")))
    ort_t = json.load(open(os.path.join(directory, "ort.json")))
    ours = {r["shape"]: r for r in json.load(open(os.path.join(directory, "lstmgen.json")))}
    peak = PEAK_PER_CORE * threads
    worst = 0.0
    agreement = []
    for shape in shapes():
        s = stem(directory, shape)
        load = lambda suffix: np.fromfile(s + suffix, dtype="<f4")
        t_out, o_out, l_out = load(".torch.out"), load(".ort.out"), load(".lstmgen.out")
        e_ort, e_ours = rel(o_out, t_out), rel(l_out, t_out)
        e_grad, e_dx = rel(load(".lstmgen.grad"), load(".torch.grad")), rel(load(".lstmgen.dx"), load(".torch.dx"))
        worst = max(worst, e_ort, e_ours, e_grad, e_dx)
        agreement.append((shape, e_ort, e_ours, e_grad, e_dx))

    print(f"\nAgreement (normwise max|a-b|/max|b| vs PyTorch; T = {STEPS}, float32):")
    print(f"| D×H, B | ORT output | LstmGen output | LstmGen dW | LstmGen dx |")
    print(f"|---|---|---|---|---|")
    for shape, e_ort, e_ours, e_grad, e_dx in agreement:
        print(f"| {shape.replace('/', ', ')} | {e_ort:.1e} | {e_ours:.1e} | {e_grad:.1e} | {e_dx:.1e} |")
    ok = worst <= 1e-4
    print(f"All three agree to {worst:.1e} (tolerance 1e-4): {'yes' if ok else 'NO'}")

    print(f"\nInference, T = {STEPS}, float32, {threads} thread(s); GFLOP/s from 2·B·4H·(D+H)·T, peak {peak:.0f} GFLOP/s:")
    print("| D×H, B | PyTorch | ORT | LstmGen | GFLOP/s | % peak | × PyTorch | × ORT |")
    print("|---|---|---|---|---|---|---|---|")
    for shape in shapes():
        d, h, b = parse(shape)
        flops = 2.0 * b * 4 * h * (d + h) * STEPS
        pt, ort, us = torch_t[shape]["inference_us"], ort_t[shape]["inference_us"], ours[shape]["inference_us"]
        gf = flops / us / 1e3
        print(f"| {shape.replace('/', ', ')} | {fmt(pt)} | {fmt(ort)} | {fmt(us)} | {gf:.1f} | {100 * gf / peak:.0f}% | {pt / us:.1f}× | {ort / us:.2f}× |")

    if all("stream_us" in ours[shape] for shape in shapes()):
        print(f"\nInference one step per call (T = {STEPS} calls, state carried; LstmGen through LstmStream, weights packed once):")
        print("| D×H, B | LstmGen per step | LstmGen whole call / T | ORT whole call / T | PyTorch whole call / T | max difference vs whole call |")
        print("|---|---|---|---|---|---|")
        for shape in shapes():
            r = ours[shape]
            print(f"| {shape.replace('/', ', ')} | {fmt(r['stream_us'] / STEPS)} | {fmt(r['inference_us'] / STEPS)} | "
                  f"{fmt(ort_t[shape]['inference_us'] / STEPS)} | {fmt(torch_t[shape]['inference_us'] / STEPS)} | {r['stream_max_difference']:.1e} |")

    print(f"\nTraining step (forward + backward), T = {STEPS}, float32, {threads} thread(s); FLOPs = 3 × forward:")
    print("| D×H, B | PyTorch | LstmGen | GFLOP/s | % peak | × PyTorch |")
    print("|---|---|---|---|---|---|")
    for shape in shapes():
        d, h, b = parse(shape)
        flops = 3 * 2.0 * b * 4 * h * (d + h) * STEPS
        pt, us = torch_t[shape]["training_us"], ours[shape]["training_us"]
        gf = flops / us / 1e3
        print(f"| {shape.replace('/', ', ')} | {fmt(pt)} | {fmt(us)} | {gf:.1f} | {100 * gf / peak:.0f}% | {pt / us:.1f}× |")
    return 0 if ok else 1


def fmt(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.1f} µs"


if __name__ == "__main__":
    command, directory = sys.argv[1], sys.argv[2]
    threads = int(os.environ.get("THREADS", "1"))
    if command == "prepare":
        prepare(directory, threads)
    elif command == "report":
        sys.exit(report(directory, threads))
    else:
        sys.exit(f"unknown command {command}")
