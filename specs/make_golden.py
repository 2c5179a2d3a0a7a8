#!/usr/bin/python3
"""Writes the LstmGen golden vectors: specs/golden/*.json.

Run from anywhere:  /usr/bin/python3 specs/make_golden.py

Format: specs/golden-format.md.  Math: specs/standard-cell.md and specs/variants.md.

* Standard cells are computed by torch.nn.LSTM (float64, 1 layer, unidirectional) + autograd.
* Variant cells are computed by the hand-written float64 forward `ref_forward` below + autograd.
  `ref_forward` never calls nn.LSTM; with every option off it is asserted to reproduce nn.LSTM
  (values and gradients) to <= 1e-13 normwise for every standard case.
* The script checks its autograd gradients of the small (5x7) variant cases against central
  finite differences (step 1e-6) and prints the worst normwise error, max|d| / max|ref|.

Everything is float64 and deterministic: one torch.Generator per case, seeded from a CRC-32 of
the case name, single-threaded math.  Numbers are written with Python's repr (round-trip).
"""

import json
import os
import sys
import zlib

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
DT = torch.float64

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "golden")

LN_EPS = 1e-5          # project default lnEps (torch.nn.LayerNorm's)
CLIP_KAPPA = 0.8
CLIP_MARGIN = 1e-3     # every clipped-gate pre-activation stays this far from +-kappa
CLIP_WEIGHT_SCALE = 2.0  # clip cases: weight_ih, weight_hh, bias_ih, bias_hh drawn from U(-1, 1)
FD_STEP = 1e-6
FD_TOL = 1e-6
REF_TOL = 1e-13

STANDARD_CASES = [  # (D, H, T, B)
    (1, 1, 3, 1),
    (2, 3, 2, 2),
    (3, 5, 4, 2),
    (7, 13, 5, 3),
    (16, 32, 6, 2),
    (17, 33, 3, 4),
]

# Options in the fixed file-name order: peephole, layernorm, pergate, forgetbias, cifg, clip.
VARIANT_CASES = [  # (options, D, H, T, B)
    (dict(peephole=True), 5, 7, 4, 2),
    (dict(layerNorm=True), 5, 7, 4, 2),
    (dict(forgetBias=1.0), 5, 7, 4, 2),
    (dict(cifg=True), 5, 7, 4, 2),
    (dict(clip=CLIP_KAPPA), 5, 7, 4, 2),
    (dict(layerNorm=True, lnPerGate=True), 5, 7, 4, 2),
    (dict(peephole=True, layerNorm=True), 5, 7, 4, 2),
    (dict(peephole=True, layerNorm=True, forgetBias=1.0), 5, 7, 4, 2),
    (dict(peephole=True, cifg=True, clip=CLIP_KAPPA), 5, 7, 4, 2),
    (dict(peephole=True, layerNorm=True, forgetBias=0.5, clip=CLIP_KAPPA), 5, 7, 4, 2),
    (dict(peephole=True, layerNorm=True, forgetBias=1.0), 16, 32, 3, 2),
]

STD_PARAM_NAMES = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
PEEPHOLE_NAMES = ["w_ci", "w_cf", "w_co"]
LN_NAMES = ["ln_ih_weight", "ln_ih_bias", "ln_hh_weight", "ln_hh_bias", "ln_c_weight", "ln_c_bias"]


# ----------------------------------------------------------------------------------------------
# helpers

def full_variant(opts):
    """All variant keys, in the order written to the JSON files."""
    return {
        "peephole": bool(opts.get("peephole", False)),
        "layerNorm": bool(opts.get("layerNorm", False)),
        "forgetBias": float(opts.get("forgetBias", 0.0)),
        "cifg": bool(opts.get("cifg", False)),
        "clip": None if opts.get("clip") is None else float(opts["clip"]),
        "lnEps": float(opts.get("lnEps", LN_EPS)),
        "lnPerGate": bool(opts.get("lnPerGate", False)),
    }


def variant_case_name(v, D, H, T, B):
    parts = []
    if v["peephole"]:
        parts.append("peephole")
    if v["layerNorm"]:
        parts.append("layernorm")
    if v["lnPerGate"]:
        parts.append("pergate")
    if v["forgetBias"] != 0.0:
        parts.append("forgetbias")
    if v["cifg"]:
        parts.append("cifg")
    if v["clip"] is not None:
        parts.append("clip")
    return "_".join(parts) + f"_{D}x{H}_T{T}_B{B}"


def param_names(v):
    names = list(STD_PARAM_NAMES)
    if v["peephole"]:
        names += PEEPHOLE_NAMES
    if v["layerNorm"]:
        names += LN_NAMES
    return names


def make_gen(name):
    g = torch.Generator()
    g.manual_seed(zlib.crc32(name.encode("ascii")))
    return g


def uniform(g, shape, lo, hi):
    return lo + (hi - lo) * torch.rand(shape, generator=g, dtype=DT)


def normal(g, shape, std=1.0):
    return std * torch.randn(shape, generator=g, dtype=DT)


def normwise(a, ref):
    """max|a - ref| / max|ref|  (absolute max|a - ref| when ref is all zeros)."""
    d = (a - ref).abs().max().item() if a.numel() else 0.0
    r = ref.abs().max().item() if ref.numel() else 0.0
    return d / r if r > 0 else d


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def loss_of(output, hT, cT, up):
    return (output * up["output"]).sum() + (hT * up["hT"]).sum() + (cT * up["cT"]).sum()


# ----------------------------------------------------------------------------------------------
# the independent hand-written float64 reference (specs/variants.md section 0)

def layer_norm(z, gamma, beta, eps, groups):
    """LN over the last dim of z [B, M], statistics per group of M/groups consecutive entries."""
    B, M = z.shape
    zg = z.reshape(B, groups, M // groups)
    mu = zg.mean(dim=2, keepdim=True)
    var = ((zg - mu) ** 2).mean(dim=2, keepdim=True)          # biased variance
    s = torch.sqrt(var + eps)                                   # eps inside the sqrt
    zhat = ((zg - mu) / s).reshape(B, M)
    return gamma * zhat + beta, s


def ref_forward(p, x, h0, c0, v, record=None):
    """p: dict of parameter tensors, x [T,B,D], h0/c0 [B,H].  Returns output [T,B,H], hT, cT.

    record (optional dict) collects the gate pre-activations before clamping ("pre": list of
    [B,4H] per step, CIFG's unused a_f included) and the LN standard deviations ("s")."""
    T = x.shape[0]
    H = h0.shape[1]
    peep, ln, cifg = v["peephole"], v["layerNorm"], v["cifg"]
    phi, kappa, eps = v["forgetBias"], v["clip"], v["lnEps"]
    groups = 4 if v["lnPerGate"] else 1
    h, c = h0, c0
    outs = []
    for t in range(T):
        zx = x[t] @ p["weight_ih"].t()                          # [B, 4H]
        zh = h @ p["weight_hh"].t()                             # [B, 4H]
        if ln:
            zx, sx = layer_norm(zx, p["ln_ih_weight"], p["ln_ih_bias"], eps, groups)
            zh, sh = layer_norm(zh, p["ln_hh_weight"], p["ln_hh_bias"], eps, groups)
        a = zx + zh + p["bias_ih"] + p["bias_hh"]
        a_i, a_f, a_g, a_o = a[:, 0:H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:4 * H]
        if peep:
            a_i = a_i + p["w_ci"] * c                           # reads c_{t-1}
            a_f = a_f + p["w_cf"] * c                           # reads c_{t-1}
        if phi != 0.0:
            a_f = a_f + phi                                     # constant, no gradient
        pre_i, pre_f, pre_g = a_i, a_f, a_g
        if kappa is not None:
            a_i = torch.clamp(a_i, -kappa, kappa)
            a_f = torch.clamp(a_f, -kappa, kappa)
            a_g = torch.clamp(a_g, -kappa, kappa)
        i = torch.sigmoid(a_i)
        f = (1.0 - i) if cifg else torch.sigmoid(a_f)
        g = torch.tanh(a_g)
        c_new = f * c + i * g
        if peep:
            a_o = a_o + p["w_co"] * c_new                       # reads the NEW c_t
        pre_o = a_o
        if kappa is not None:
            a_o = torch.clamp(a_o, -kappa, kappa)
        o = torch.sigmoid(a_o)
        if ln:
            c_hat, sc = layer_norm(c_new, p["ln_c_weight"], p["ln_c_bias"], eps, 1)
        else:
            c_hat = c_new
        h = o * torch.tanh(c_hat)                               # carried c stays un-normalised
        c = c_new
        outs.append(h)
        if record is not None:
            record.setdefault("pre", []).append(
                torch.cat([pre_i, pre_f, pre_g, pre_o], dim=1).detach())
            if ln:
                record.setdefault("s", []).extend([sx.detach(), sh.detach(), sc.detach()])
    return torch.stack(outs), h, c


def ref_grads(p, x, h0, c0, up, v, names):
    """Autograd through ref_forward.  Returns (output, hT, cT, {name: grad}) for x, h0, c0, params."""
    leaves = {"x": x, "h0": h0, "c0": c0}
    leaves.update({n: p[n] for n in names})
    leaves = {k: t.detach().clone().requires_grad_(True) for k, t in leaves.items()}
    pp = {n: leaves[n] for n in names}
    out, hT, cT = ref_forward(pp, leaves["x"], leaves["h0"], leaves["c0"], v)
    L = loss_of(out, hT, cT, up)
    keys = list(leaves)
    gs = torch.autograd.grad(L, [leaves[k] for k in keys], allow_unused=True)
    grads = {}
    for k, gk in zip(keys, gs):
        grads[k] = torch.zeros_like(leaves[k]) if gk is None else gk.detach()
    return out.detach(), hT.detach(), cT.detach(), grads


# ----------------------------------------------------------------------------------------------
# output

def write_case(name, v_json, D, H, T, B, p, names, x, h0, c0, out, hT, cT, up, grads, reference):
    doc = [
        ("variant", v_json),
        ("inputSize", D), ("hiddenSize", H), ("steps", T), ("batch", B),
        ("params", {n: flat(p[n]) for n in names}),
        ("x", flat(x)), ("h0", flat(h0)), ("c0", flat(c0)),
        ("output", flat(out)), ("hT", flat(hT)), ("cT", flat(cT)),
        ("upstream", {"output": flat(up["output"]), "hT": flat(up["hT"]), "cT": flat(up["cT"])}),
        ("grads", {k: flat(grads[k]) for k in ["x", "h0", "c0"] + names}),
        ("reference", reference),
    ]
    # Valid JSON: one top-level key per line, every value (arrays, objects) compact on its line.
    body = ",\n".join(json.dumps(k) + ":" + json.dumps(val, separators=(",", ":"), allow_nan=False)
                      for k, val in doc)
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write("{\n" + body + "\n}\n")
    return path


def check_shapes(p, names, D, H):
    want = {"weight_ih": (4 * H, D), "weight_hh": (4 * H, H), "bias_ih": (4 * H,), "bias_hh": (4 * H,),
            "w_ci": (H,), "w_cf": (H,), "w_co": (H,),
            "ln_ih_weight": (4 * H,), "ln_ih_bias": (4 * H,), "ln_hh_weight": (4 * H,),
            "ln_hh_bias": (4 * H,), "ln_c_weight": (H,), "ln_c_bias": (H,)}
    for n in names:
        assert tuple(p[n].shape) == want[n], (n, tuple(p[n].shape), want[n])


# ----------------------------------------------------------------------------------------------
# standard cells: torch.nn.LSTM

def standard_case(D, H, T, B):
    name = f"standard_{D}x{H}_T{T}_B{B}"
    g = make_gen(name)
    p = {
        "weight_ih": uniform(g, (4 * H, D), -0.5, 0.5),
        "weight_hh": uniform(g, (4 * H, H), -0.5, 0.5),
        "bias_ih": uniform(g, (4 * H,), -0.5, 0.5),
        "bias_hh": uniform(g, (4 * H,), -0.5, 0.5),
    }
    x = normal(g, (T, B, D))
    h0 = normal(g, (B, H), 0.5)
    c0 = normal(g, (B, H), 0.5)
    up = {"output": normal(g, (T, B, H)), "hT": normal(g, (B, H)), "cT": normal(g, (B, H))}

    lstm = torch.nn.LSTM(D, H, num_layers=1, bias=True, batch_first=False, bidirectional=False).double()
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(p["weight_ih"])
        lstm.weight_hh_l0.copy_(p["weight_hh"])
        lstm.bias_ih_l0.copy_(p["bias_ih"])
        lstm.bias_hh_l0.copy_(p["bias_hh"])
    xl = x.clone().requires_grad_(True)
    h0l = h0.clone().unsqueeze(0).requires_grad_(True)
    c0l = c0.clone().unsqueeze(0).requires_grad_(True)
    out, (hn, cn) = lstm(xl, (h0l, c0l))
    hT, cT = hn[0], cn[0]
    L = loss_of(out, hT, cT, up)
    gx, gh0, gc0, gwi, gwh, gbi, gbh = torch.autograd.grad(
        L, [xl, h0l, c0l, lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0])
    grads = {"x": gx, "h0": gh0[0], "c0": gc0[0], "weight_ih": gwi, "weight_hh": gwh,
             "bias_ih": gbi, "bias_hh": gbh}
    out, hT, cT = out.detach(), hT.detach(), cT.detach()

    # The hand-written reference with every option off must reproduce nn.LSTM.
    v_off = full_variant({})
    r_out, r_hT, r_cT, r_grads = ref_grads(p, x, h0, c0, up, v_off, STD_PARAM_NAMES)
    worst = max([normwise(r_out, out), normwise(r_hT, hT), normwise(r_cT, cT)] +
                [normwise(r_grads[k], grads[k]) for k in grads])
    assert worst <= REF_TOL, f"{name}: hand-written reference vs nn.LSTM {worst:.3e} > {REF_TOL}"

    check_shapes(p, STD_PARAM_NAMES, D, H)
    v_json = {"peephole": False, "layerNorm": False, "forgetBias": 0.0}
    path = write_case(name, v_json, D, H, T, B, p, STD_PARAM_NAMES, x, h0, c0, out, hT, cT, up, grads,
                      "torch.nn.LSTM float64 + autograd (specs/make_golden.py)")
    return name, path, worst


# ----------------------------------------------------------------------------------------------
# variant cells: hand-written reference

def variant_case(opts, D, H, T, B):
    v = full_variant(opts)
    name = variant_case_name(v, D, H, T, B)
    names = param_names(v)
    g = make_gen(name)
    ws = CLIP_WEIGHT_SCALE if v["clip"] is not None else 1.0
    p = {
        "weight_ih": uniform(g, (4 * H, D), -0.5 * ws, 0.5 * ws),
        "weight_hh": uniform(g, (4 * H, H), -0.5 * ws, 0.5 * ws),
        "bias_ih": uniform(g, (4 * H,), -0.5 * ws, 0.5 * ws),
        "bias_hh": uniform(g, (4 * H,), -0.5 * ws, 0.5 * ws),
    }
    if v["peephole"]:
        for n in PEEPHOLE_NAMES:
            p[n] = uniform(g, (H,), -0.5, 0.5)
    if v["layerNorm"]:
        for n, m in [("ln_ih", 4 * H), ("ln_hh", 4 * H), ("ln_c", H)]:
            p[n + "_weight"] = 1.0 + uniform(g, (m,), -0.3, 0.3)
            p[n + "_bias"] = uniform(g, (m,), -0.2, 0.2)
    check_shapes(p, names, D, H)

    # Draw inputs; for clip cases redraw x, h0, c0 until no used pre-activation is within
    # CLIP_MARGIN of +-kappa (so the clamp is differentiable around the point and FD is valid).
    tries = 0
    while True:
        tries += 1
        x = normal(g, (T, B, D))
        h0 = normal(g, (B, H), 0.5)
        c0 = normal(g, (B, H), 0.5)
        rec = {}
        with torch.no_grad():
            ref_forward(p, x, h0, c0, v, rec)
        pre = torch.stack(rec["pre"])                                   # [T, B, 4H]
        if v["cifg"]:                                                    # a_f is unused in CIFG
            pre = torch.cat([pre[..., 0:H], pre[..., 2 * H:4 * H]], dim=-1)
        if v["clip"] is None:
            break
        margin = (pre.abs() - v["clip"]).abs().min().item()
        if margin >= CLIP_MARGIN:
            break
        assert tries < 1000, f"{name}: could not draw inputs away from the clip boundary"
    info = {"tries": tries}
    if v["clip"] is not None:
        clipped = (pre.abs() > v["clip"])
        info["clipped"] = f"{clipped.sum().item()}/{clipped.numel()}"
        info["margin"] = margin
        gates = ["i", "g", "o"] if v["cifg"] else ["i", "f", "g", "o"]
        per_gate = clipped.reshape(T, B, len(gates), H).sum(dim=(0, 1, 3)).tolist()
        info["clipped"] += " (" + " ".join(f"{gn}:{cnt}" for gn, cnt in zip(gates, per_gate)) + ")"
        per_gate_n = T * B * H
        assert all(0 < cnt < per_gate_n for cnt in per_gate), \
            f"{name}: the clip must bind for some, not all, entries of every gate {per_gate}"
    if v["layerNorm"]:
        smin = min(s.min().item() for s in rec["s"])
        info["ln_s_min"] = smin
        assert smin > 1e-2, f"{name}: LN input nearly constant (s = {smin})"

    up = {"output": normal(g, (T, B, H)), "hT": normal(g, (B, H)), "cT": normal(g, (B, H))}
    out, hT, cT, grads = ref_grads(p, x, h0, c0, up, v, names)

    if v["cifg"]:
        zero = [grads["weight_ih"][H:2 * H], grads["weight_hh"][H:2 * H],
                grads["bias_ih"][H:2 * H], grads["bias_hh"][H:2 * H]]
        if v["peephole"]:
            zero.append(grads["w_cf"])
        assert all((z == 0).all().item() for z in zero), f"{name}: CIFG forget block must get zero gradient"

    path = write_case(name, v, D, H, T, B, p, names, x, h0, c0, out, hT, cT, up, grads,
                      "hand-written float64 specs/variants.md + autograd (specs/make_golden.py)")
    return name, path, info, (p, names, x, h0, c0, up, v, grads)


def finite_difference_check(p, names, x, h0, c0, up, v, grads):
    """Central differences (step FD_STEP) of L for every scalar of x, h0, c0 and every parameter.
    Returns {array name: normwise error}."""
    base = {"x": x, "h0": h0, "c0": c0}
    base.update({n: p[n] for n in names})
    base = {k: t.detach().clone() for k, t in base.items()}

    def L_of(vals):
        with torch.no_grad():
            out, hT, cT = ref_forward({n: vals[n] for n in names}, vals["x"], vals["h0"], vals["c0"], v)
            return loss_of(out, hT, cT, up).item()

    errs = {}
    for k, t in base.items():
        fd = torch.zeros_like(t)
        ft, ff = t.view(-1), fd.view(-1)
        for j in range(ft.numel()):
            orig = ft[j].item()
            ft[j] = orig + FD_STEP
            lp = L_of(base)
            ft[j] = orig - FD_STEP
            lm = L_of(base)
            ft[j] = orig
            ff[j] = (lp - lm) / (2 * FD_STEP)
        errs[k] = normwise(fd, grads[k])
    return errs


def hand_bptt_check(path):
    """Re-reads a written file and recomputes forward and all gradients with an explicit BPTT
    (specs/standard-cell.md section 5, specs/variants.md) without autograd.
    Also checks JSON round-trip and array lengths.  Returns the worst normwise error."""
    with open(path, encoding="ascii") as fh:
        J = json.load(fh)
    v = full_variant(J["variant"])
    D, H, T, B = J["inputSize"], J["hiddenSize"], J["steps"], J["batch"]
    peep, ln, cifg, phi, kappa, eps = (v["peephole"], v["layerNorm"], v["cifg"], v["forgetBias"],
                                       v["clip"], v["lnEps"])
    G = 4 if v["lnPerGate"] else 1
    P = {n: torch.tensor(a, dtype=DT) for n, a in J["params"].items()}
    assert list(P) == param_names(v), (list(P), param_names(v))
    P["weight_ih"] = P["weight_ih"].reshape(4 * H, D)
    P["weight_hh"] = P["weight_hh"].reshape(4 * H, H)
    x = torch.tensor(J["x"], dtype=DT).reshape(T, B, D)
    h = torch.tensor(J["h0"], dtype=DT).reshape(B, H)
    c = torch.tensor(J["c0"], dtype=DT).reshape(B, H)
    for k, n in [("output", T * B * H), ("hT", B * H), ("cT", B * H)]:
        assert len(J[k]) == n and len(J["upstream"][k]) == n, k
    assert list(J["grads"]) == ["x", "h0", "c0"] + param_names(v)
    for k, a in J["grads"].items():
        assert len(a) == (len(J["params"][k]) if k in J["params"] else len(J[k])), k

    def ln_fwd(z, gamma, beta, groups):
        zg = z.reshape(B, groups, -1)
        mu = zg.mean(2, keepdim=True)
        s = torch.sqrt(((zg - mu) ** 2).mean(2, keepdim=True) + eps)
        zhat = (zg - mu) / s
        return gamma * zhat.reshape(z.shape) + beta, zhat, s

    def ln_bwd(dy, gamma, zhat, s, groups):
        q = (gamma * dy).reshape(B, groups, -1)
        dz = (q - q.mean(2, keepdim=True) - zhat * (q * zhat).mean(2, keepdim=True)) / s
        return dz.reshape(dy.shape), (dy * zhat.reshape(dy.shape)).sum(0), dy.sum(0)

    def mask(a):
        return ((a >= -kappa) & (a <= kappa)).to(DT) if kappa is not None else torch.ones_like(a)

    def clamp(a):
        return a.clamp(-kappa, kappa) if kappa is not None else a

    cache, outs = [], []
    for t in range(T):
        C = {"x": x[t], "h_prev": h, "c_prev": c}
        zx, zh = x[t] @ P["weight_ih"].t(), h @ P["weight_hh"].t()
        if ln:
            zx, C["zx_hat"], C["sx"] = ln_fwd(zx, P["ln_ih_weight"], P["ln_ih_bias"], G)
            zh, C["zh_hat"], C["sh"] = ln_fwd(zh, P["ln_hh_weight"], P["ln_hh_bias"], G)
        a = zx + zh + P["bias_ih"] + P["bias_hh"]
        a_i, a_f, a_g, a_o = (a[:, k * H:(k + 1) * H] for k in range(4))
        if peep:
            a_i, a_f = a_i + P["w_ci"] * c, a_f + P["w_cf"] * c
        a_f = a_f + phi
        C["m_i"], C["m_f"], C["m_g"] = mask(a_i), mask(a_f), mask(a_g)
        i = torch.sigmoid(clamp(a_i))
        f = 1.0 - i if cifg else torch.sigmoid(clamp(a_f))
        g = torch.tanh(clamp(a_g))
        c_new = f * c + i * g
        if peep:
            a_o = a_o + P["w_co"] * c_new
        C["m_o"] = mask(a_o)
        o = torch.sigmoid(clamp(a_o))
        c_hat = c_new
        if ln:
            c_hat, C["zc_hat"], C["sc"] = ln_fwd(c_new, P["ln_c_weight"], P["ln_c_bias"], 1)
        tau = torch.tanh(c_hat)
        h, c = o * tau, c_new
        C.update(i=i, f=f, g=g, o=o, c=c_new, tau=tau)
        cache.append(C)
        outs.append(h)

    errs = [normwise(torch.stack(outs).reshape(-1), torch.tensor(J["output"], dtype=DT)),
            normwise(h.reshape(-1), torch.tensor(J["hT"], dtype=DT)),
            normwise(c.reshape(-1), torch.tensor(J["cT"], dtype=DT))]

    U = J["upstream"]
    dY = torch.tensor(U["output"], dtype=DT).reshape(T, B, H)
    dh_next = torch.tensor(U["hT"], dtype=DT).reshape(B, H)
    dc_next = torch.tensor(U["cT"], dtype=DT).reshape(B, H)
    gr = {n: torch.zeros_like(t) for n, t in P.items()}
    dx = torch.zeros(T, B, D, dtype=DT)
    for t in reversed(range(T)):
        C = cache[t]
        dh = dY[t] + dh_next
        da_o = dh * C["tau"] * C["o"] * (1 - C["o"]) * C["m_o"]
        dc_hat = dh * C["o"] * (1 - C["tau"] ** 2)
        if ln:
            dc_hat, dgam, dbet = ln_bwd(dc_hat, P["ln_c_weight"], C["zc_hat"], C["sc"], 1)
            gr["ln_c_weight"] += dgam
            gr["ln_c_bias"] += dbet
        dc = dc_next + dc_hat
        if peep:
            dc = dc + da_o * P["w_co"]
            gr["w_co"] += (da_o * C["c"]).sum(0)
        di, dg, df = dc * C["g"], dc * C["i"], dc * C["c_prev"]
        if cifg:
            di, da_f = di - df, torch.zeros_like(df)
        else:
            da_f = df * C["f"] * (1 - C["f"]) * C["m_f"]
        da_i = di * C["i"] * (1 - C["i"]) * C["m_i"]
        da_g = dg * (1 - C["g"] ** 2) * C["m_g"]
        dc_next = dc * C["f"]
        if peep:
            dc_next = dc_next + da_i * P["w_ci"] + da_f * P["w_cf"]
            gr["w_ci"] += (da_i * C["c_prev"]).sum(0)
            gr["w_cf"] += (da_f * C["c_prev"]).sum(0)
        da = torch.cat([da_i, da_f, da_g, da_o], dim=1)
        gr["bias_ih"] += da.sum(0)
        gr["bias_hh"] += da.sum(0)
        dz_x = dz_h = da
        if ln:
            dz_x, dgam, dbet = ln_bwd(da, P["ln_ih_weight"], C["zx_hat"], C["sx"], G)
            gr["ln_ih_weight"] += dgam
            gr["ln_ih_bias"] += dbet
            dz_h, dgam, dbet = ln_bwd(da, P["ln_hh_weight"], C["zh_hat"], C["sh"], G)
            gr["ln_hh_weight"] += dgam
            gr["ln_hh_bias"] += dbet
        gr["weight_ih"] += dz_x.t() @ C["x"]
        gr["weight_hh"] += dz_h.t() @ C["h_prev"]
        dx[t] = dz_x @ P["weight_ih"]
        dh_next = dz_h @ P["weight_hh"]
    gr.update(x=dx, h0=dh_next, c0=dc_next)
    for k, a in J["grads"].items():
        errs.append(normwise(gr[k].reshape(-1), torch.tensor(a, dtype=DT)))
    return max(errs)


def self_check_layer_norm():
    """Our layer_norm vs torch.nn.functional.layer_norm (both float64)."""
    g = make_gen("layer_norm_check")
    z = normal(g, (3, 28))
    gamma, beta = 1.0 + uniform(g, (28,), -0.3, 0.3), uniform(g, (28,), -0.2, 0.2)
    ours, _ = layer_norm(z, gamma, beta, LN_EPS, 1)
    theirs = torch.nn.functional.layer_norm(z, (28,), gamma, beta, LN_EPS)
    e1 = normwise(ours, theirs)
    ours4, _ = layer_norm(z, gamma, beta, LN_EPS, 4)
    theirs4 = torch.nn.functional.layer_norm(z.reshape(3, 4, 7), (7,), None, None, LN_EPS).reshape(3, 28)
    e4 = normwise(ours4, gamma * theirs4 + beta)
    assert max(e1, e4) <= REF_TOL, (e1, e4)
    return max(e1, e4)


# ----------------------------------------------------------------------------------------------

def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    print(f"torch {torch.__version__}, writing {OUT_DIR}")
    written = []

    e = self_check_layer_norm()
    print(f"self-check: layer_norm vs torch.nn.functional.layer_norm: {e:.2e}")

    worst_ref = 0.0
    for D, H, T, B in STANDARD_CASES:
        name, path, err = standard_case(D, H, T, B)
        worst_ref = max(worst_ref, err)
        written.append(path)
        print(f"  {name:50s} {os.path.getsize(path):8d} B  hand-written vs nn.LSTM {err:.2e}")
    print(f"self-check: hand-written forward (all options off) vs nn.LSTM, values and gradients, "
          f"worst normwise {worst_ref:.2e} (limit {REF_TOL:g})")

    fd_worst = (0.0, "", "")
    for opts, D, H, T, B in VARIANT_CASES:
        name, path, info, ctx = variant_case(opts, D, H, T, B)
        written.append(path)
        extra = "  ".join(f"{k}={val:.3g}" if isinstance(val, float) else f"{k}={val}"
                          for k, val in info.items())
        line = f"  {name:50s} {os.path.getsize(path):8d} B  {extra}"
        if H <= 8:  # finite-difference check of every small variant case
            errs = finite_difference_check(*ctx)
            k = max(errs, key=errs.get)
            line += f"  FD worst {errs[k]:.2e} ({k})"
            if errs[k] > fd_worst[0]:
                fd_worst = (errs[k], name, k)
            assert errs[k] <= FD_TOL, f"{name}: autograd vs finite differences {errs[k]:.3e} ({k})"
        print(line)
    print(f"self-check: autograd vs central finite differences (step {FD_STEP:g}), worst normwise "
          f"{fd_worst[0]:.2e} in {fd_worst[1]} [{fd_worst[2]}] (limit {FD_TOL:g})")

    worst_bptt = 0.0
    for pth in written:
        worst_bptt = max(worst_bptt, hand_bptt_check(pth))
    print(f"self-check: files re-read, hand-written BPTT (no autograd) vs stored values and gradients, "
          f"worst normwise {worst_bptt:.2e} (limit {REF_TOL:g})")
    assert worst_bptt <= REF_TOL

    stale = sorted(set(os.path.join(OUT_DIR, f) for f in os.listdir(OUT_DIR) if f.endswith(".json"))
                   - set(written))
    for s in stale:
        print(f"warning: {s} was not written by this script (stale? delete it by hand)")
    total = sum(os.path.getsize(pth) for pth in written)
    print(f"wrote {len(written)} files, {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
