#!/usr/bin/python3
"""Prints torch.optim's parameters after each of three steps on a fixed example, in float64.

Run:  /usr/bin/python3 specs/optimizer_examples.py

tests/LstmGen.Tests/OptimizerTests.cs holds these numbers (and derives the first step by hand), so a
change in our update formulas shows up as a mismatch with PyTorch.
"""

import torch

P0 = [0.5, -1.5, 2.0]
GRADS = [[0.1, -0.2, 0.3], [-0.4, 0.5, 0.25], [0.05, 0.0, -0.6]]

CASES = [
    ("SGD momentum+dampening", lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.1)),
    ("SGD Nesterov+weight decay", lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", lambda p: torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    ("Adam L2 weight decay", lambda p: torch.optim.Adam([p], lr=0.01, weight_decay=0.1)),
    ("AdamW", lambda p: torch.optim.AdamW([p], lr=0.01, weight_decay=0.1)),
]

for name, make in CASES:
    p = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
    opt = make(p)
    print(name)
    for g in GRADS:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        print("   ", ", ".join(repr(float(v)) for v in p.detach()))

# Learning-rate schedules: the rate after each scheduler.step() (base rate 1.0).
def schedule(name, make, metrics=None, epochs=10):
    p = torch.tensor([0.0], requires_grad=True)
    opt = torch.optim.SGD([p], lr=1.0)
    sched = make(opt)
    rates = []
    for e in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        rates.append(opt.param_groups[0]["lr"])
    print(name)
    print("   ", ", ".join(repr(r) for r in rates))


schedule("StepLR(step_size=3, gamma=0.5)", lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5))
schedule("CosineAnnealingLR(T_max=4, eta_min=0.1)", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 4, 0.1), epochs=6)
schedule("ReduceLROnPlateau(factor=0.5, patience=2, cooldown=1)",
         lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1),
         metrics=[1.0, 0.9, 0.95, 0.9, 0.91, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85], epochs=12)
