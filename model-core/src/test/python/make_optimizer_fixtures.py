#!/usr/bin/python3
"""Writes model-core/src/test/resources/fixtures/optimizers.txt: reference numbers from PyTorch
(float64, torch.optim single-tensor code paths) that OptimizerFixtureTest and friends replay.

Run with Debian's python3 and python3-torch (1.13):

    /usr/bin/python3 model-core/src/test/python/make_optimizer_fixtures.py

The output is committed because CI has no torch. The format is plain text so the Java test needs
no JSON library:

    # comment
    case NAME                 starts a case; "end" closes it
    KEY TOKEN TOKEN ...       one record per line, tokens separated by single spaces

Numbers are Python repr() of float64 values (shortest text that parses back to the same double);
non-finite values are written nan, inf, -inf. Records of the three kinds of case:

  optimizer trajectory (case names not starting with clip_ or window_)
    optimizer KIND key=value ...     sgd|adam|adamw|rmsprop with every hyperparameter spelled out
    schedule SPEC                    an io.streamgru.model.optim.ScheduleSpec string
    base_lr X
    initial P...                     parameters before the first step
    then per step, in order:
    lr X                             the rate torch used for this step
    grad G...                        the gradient handed to opt.step()
    params P...                      parameters after the step

  gradient clipping (clip_*)
    max_norm X
    tensor G...                      one line per parameter tensor, flattened
    norm X                           what clip_grad_norm_ returned
    clipped G...                     all tensors after clipping, concatenated

  accumulation windows (window_*): the optimizer, schedule, base_lr and initial records as above, then
    clip_norm X                      0 means no clipping
    chunk accepted|rejected SAMPLES LOSS_SUM G...   one truncated-BPTT chunk's sums
    step APPLIED                     end of window: p.grad /= samples; clip; opt.step()
    norm X / lr X / params P...      pre-clip norm, rate used, parameters after the step
"""

import math
import os
import warnings

import torch

warnings.simplefilter("ignore")  # SequentialLR's deprecated step(epoch) call inside torch 1.13
torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "resources", "fixtures", "optimizers.txt")
SIZE = 11
STEPS = 5
GEN = torch.Generator().manual_seed(20240611)


def fmt(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def line(key, *values):
    tokens = []
    for v in values:
        if isinstance(v, torch.Tensor):
            tokens.extend(fmt(x) for x in v.detach().reshape(-1).tolist())
        elif isinstance(v, float):
            tokens.append(fmt(v))
        else:
            tokens.append(str(v))
    return " ".join([key] + tokens)


def randn(*shape, scale=1.0):
    return torch.randn(*shape, generator=GEN) * scale


# Gradients spanning four decades per element, so eps and the moment ratios matter.
SCALES = torch.logspace(-3, 1, SIZE)[torch.randperm(SIZE, generator=GEN)]


def make_optimizer(kind, params, lr, hp):
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=hp["momentum"], dampening=hp["dampening"],
                               nesterov=hp["nesterov"], weight_decay=hp["weight_decay"], foreach=False)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"],
                                weight_decay=hp["weight_decay"], amsgrad=False, foreach=False)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"],
                                 weight_decay=hp["weight_decay"], amsgrad=False, foreach=False)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=hp["alpha"], eps=hp["eps"],
                                   weight_decay=hp["weight_decay"], momentum=hp["momentum"],
                                   centered=hp["centered"], foreach=False)
    raise ValueError(kind)


def make_scheduler(spec, opt):
    """The torch scheduler equivalent to a ScheduleSpec string (None for constant)."""
    warmup = None
    if spec.startswith("warmup:"):
        prefix, spec = spec.split(",", 1)
        warmup = int(prefix.split(":")[1])
    kind, *args = spec.split(":")
    lr_sched = torch.optim.lr_scheduler
    if kind == "constant":
        inner = None
    elif kind == "step":
        inner = lr_sched.StepLR(opt, step_size=int(args[0]), gamma=float(args[1]))
    elif kind == "exp":
        inner = lr_sched.ExponentialLR(opt, gamma=float(args[0]))
    elif kind == "cosine":
        inner = lr_sched.CosineAnnealingLR(opt, T_max=int(args[0]),
                                           eta_min=float(args[1]) if len(args) > 1 else 0.0)
    elif kind == "inverse":
        rate, steps = float(args[0]), int(args[1])
        inner = lr_sched.LambdaLR(opt, lambda e: 1.0 / (1 + rate * e / steps))
    else:
        raise ValueError(spec)
    if warmup is None:
        return inner
    # LinearWarmup's ramp target * (step + 1) / N is LinearLR from 1/N reaching 1 at step N - 1.
    ramp = lr_sched.LinearLR(opt, start_factor=1.0 / warmup, end_factor=1.0, total_iters=warmup - 1)
    if inner is None:
        return ramp
    return lr_sched.SequentialLR(opt, [ramp, inner], milestones=[warmup])


SGD = dict(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0)
ADAM = dict(beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0)
RMSPROP = dict(alpha=0.99, eps=1e-8, momentum=0.0, centered=False, weight_decay=0.0)

TRAJECTORIES = [
    ("sgd_plain", "sgd", SGD, 0.1, "constant"),
    ("sgd_momentum_step_lr", "sgd", dict(SGD, momentum=0.9), 0.1, "step:2:0.5"),
    ("sgd_momentum_dampening", "sgd", dict(SGD, momentum=0.9, dampening=0.3), 0.1, "constant"),
    ("sgd_nesterov_exp_lr", "sgd", dict(SGD, momentum=0.9, nesterov=True), 0.05, "exp:0.8"),
    ("sgd_weight_decay", "sgd", dict(SGD, momentum=0.5, weight_decay=0.1), 0.1, "constant"),
    ("sgd_weight_decay_no_momentum", "sgd", dict(SGD, weight_decay=0.2), 0.1, "inverse:0.5:2"),
    ("adam", "adam", ADAM, 0.05, "constant"),
    ("adam_weight_decay_exp_lr", "adam", dict(ADAM, weight_decay=0.1), 0.05, "exp:0.9"),
    ("adam_betas_warmup_cosine", "adam", dict(ADAM, beta1=0.5, beta2=0.9, eps=1e-3), 0.05,
     "warmup:2,cosine:3:0.001"),
    ("adamw_cosine_lr", "adamw", dict(ADAM, weight_decay=0.1), 0.05, "cosine:4:0.001"),
    ("adamw_defaults", "adamw", dict(ADAM, weight_decay=0.01), 0.001, "constant"),
    ("rmsprop", "rmsprop", RMSPROP, 0.01, "constant"),
    ("rmsprop_momentum_step_lr", "rmsprop", dict(RMSPROP, momentum=0.9), 0.01, "step:3:0.1"),
    ("rmsprop_centered_warmup", "rmsprop", dict(RMSPROP, centered=True), 0.01, "warmup:3,constant"),
    ("rmsprop_centered_momentum_decay", "rmsprop",
     dict(RMSPROP, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.05), 0.01, "constant"),
]


def hyper_tokens(hp):
    return ["%s=%s" % (k, str(v).lower() if isinstance(v, bool) else fmt(v)) for k, v in hp.items()]


def trajectory(name, kind, hp, lr, spec):
    p = torch.nn.Parameter(randn(SIZE))
    opt = make_optimizer(kind, [p], lr, hp)
    sched = make_scheduler(spec, opt)
    out = ["case " + name, " ".join(["optimizer", kind] + hyper_tokens(hp)), "schedule " + spec,
           line("base_lr", lr), line("initial", p)]
    for _ in range(STEPS):
        grad = randn(SIZE) * SCALES
        out.append(line("lr", float(opt.param_groups[0]["lr"])))
        out.append(line("grad", grad))
        p.grad = grad.clone()
        opt.step()
        if sched is not None:
            sched.step()
        out.append(line("params", p))
    out.append("end")
    return out


def clipping(name, grads, max_norm):
    params = [torch.nn.Parameter(torch.zeros_like(g)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    out = ["case " + name, line("max_norm", float(max_norm))]
    out += [line("tensor", g) for g in grads]
    out.append(line("norm", float(norm)))
    out.append(line("clipped", torch.cat([p.grad.reshape(-1) for p in params])))
    out.append("end")
    return out


def clip_cases():
    shapes = [(4, 3), (3,), (1,)]
    big = [randn(*s, scale=2.0) for s in shapes]
    exact = float(torch.cat([g.reshape(-1) for g in big]).norm())
    return (clipping("clip_scaled_down", big, 1.0)
            + clipping("clip_below_max_unchanged", [randn(*s, scale=0.1) for s in shapes], 100.0)
            # norm == max_norm still scales by max/(max + 1e-6), as torch does
            + clipping("clip_at_max_norm", big, exact)
            + clipping("clip_zero_gradient", [torch.zeros(*s) for s in shapes], 1.0))


def window_case(name, kind, hp, lr, spec, clip_norm, windows):
    """Linear regression y = w.x + b with squared error, parameters [w (5), b] in one tensor.

    The PyTorch loop the Java GradientAccumulator must reproduce: per chunk loss_sum.backward();
    at the end of the window p.grad /= samples; clip_grad_norm_; opt.step(); zero_grad(); and the
    scheduler steps after every optimizer step. A chunk with a non-finite loss or gradient is not
    backpropagated (the accumulator rejects it)."""
    inputs = 5
    p = torch.nn.Parameter(randn(inputs + 1))
    opt = make_optimizer(kind, [p], lr, hp)
    sched = make_scheduler(spec, opt)
    out = ["case " + name, " ".join(["optimizer", kind] + hyper_tokens(hp)), "schedule " + spec,
           line("base_lr", lr), line("clip_norm", float(clip_norm)), line("initial", p)]
    for chunks in windows:
        samples = 0
        for n, poison in chunks:
            x = randn(n, inputs)
            y = randn(n)
            if poison:
                x[0, 1] = float("nan")
            loss_sum = (0.5 * (x @ p[:inputs] + p[inputs] - y) ** 2).sum()
            (g,) = torch.autograd.grad(loss_sum, p, retain_graph=True)
            if math.isfinite(loss_sum.item()) and bool(torch.isfinite(g).all()):
                before = p.grad.clone() if p.grad is not None else torch.zeros_like(p)
                loss_sum.backward()
                assert torch.equal(p.grad, before + g), "backward() accumulates by plain addition"
                samples += n
                out.append(line("chunk accepted", n, loss_sum.item(), g))
            else:
                out.append(line("chunk rejected", n, loss_sum.item(), g))
        lr_used = float(opt.param_groups[0]["lr"])
        p.grad /= samples
        if clip_norm > 0:
            norm = float(torch.nn.utils.clip_grad_norm_([p], clip_norm))
        else:
            norm = float(p.grad.norm())
        opt.step()
        opt.zero_grad(set_to_none=True)
        if sched is not None:
            sched.step()
        out.append("step APPLIED")
        out.append(line("norm", norm))
        out.append(line("lr", lr_used))
        out.append(line("params", p))
    out.append("end")
    return out


def main():
    lines = ["# Generated by model-core/src/test/python/make_optimizer_fixtures.py with torch "
             + torch.__version__ + "; do not edit. Format: see the script's docstring."]
    for case in TRAJECTORIES:
        lines += trajectory(*case)
    lines += clip_cases()
    lines += window_case("window_adam_clipped", "adam", dict(ADAM, weight_decay=0.01), 0.05, "exp:0.9", 0.5,
                         [[(2, False), (1, False), (3, False)],
                          [(2, False), (2, True), (1, False)],
                          [(4, False)]])
    lines += window_case("window_sgd_unclipped", "sgd", dict(SGD, momentum=0.9), 0.05, "constant", 0.0,
                         [[(3, False), (3, False)], [(1, True), (5, False)]])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", os.path.normpath(OUT), len(lines), "lines")


if __name__ == "__main__":
    main()
