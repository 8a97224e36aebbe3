#!/usr/bin/python3
"""Writes the PyTorch reference fixtures that model-core's agreement tests replay.

Run with Debian's python3-torch (CPU, any 1.13+), from anywhere:

    /usr/bin/python3 model-core/src/test/python/make_torch_fixtures.py

It is deterministic (torch.manual_seed per fixture, float64 everywhere) and rewrites
model-core/src/test/resources/fixtures/torch/*.txt. The files are committed, so CI needs no torch;
re-run only when a fixture changes, and commit the result.

Fixture format (read by io.streamgru.model.gru.TorchFixture on the Java side), UTF-8 text, one
entry per line:

    # comment                          ignored, as are blank lines
    key = some text                    a text entry (config, names)
    name shape=7x2x5 v0 v1 v2 ...      a float64 array, row-major; shape=1 for a scalar

Values are Python repr(float): the shortest decimal that round-trips, which Java's
Double.parseDouble (correctly rounded) reads back to the identical double. The last line,
"crc32 = xxxxxxxx", is the CRC-32 of every array value in file order as 8 big-endian IEEE-754
bytes; the Java reader recomputes it from the parsed doubles, so any value that did not
round-trip bit-exactly fails loudly.

Model: a module with attributes `gru` (nn.GRU, gate order r, z, n) and `head` (nn.Linear, or
nn.Sequential(Linear, ReLU, Linear) = head.0 / head.2), batch 1, sequence-first. Parameters are
written flat in state_dict order (`state_dict` names the tensors and shapes). Hidden states are
[T, L, H] (every layer at every step), h0 is [L, 1, H] (layer after layer).
"""

import math
import os
import struct
import sys
import zlib

import torch
from torch import nn

torch.set_default_dtype(torch.float64)

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "torch")


# ----------------------------------------------------------------------------------------------
# Writing


class FixtureWriter:
    def __init__(self, path, description):
        self.path = path
        self.lines = [
            "# StreamGRU PyTorch reference fixture, written by model-core/src/test/python/make_torch_fixtures.py",
            "# torch %s, float64; do not edit by hand." % torch.__version__.split("+")[0],
        ]
        for line in description.strip().splitlines():
            self.lines.append("# " + line.strip())
        self.names = set()
        self.crc = 0

    def _claim(self, name):
        assert " " not in name and "=" not in name, name
        assert name not in self.names, "duplicate entry " + name
        self.names.add(name)

    def text(self, key, value):
        self._claim(key)
        value = str(value)
        assert "\n" not in value
        self.lines.append("%s = %s" % (key, value))

    def array(self, name, tensor):
        self._claim(name)
        t = torch.as_tensor(tensor, dtype=torch.float64).detach()
        shape = list(t.shape) if t.dim() > 0 else [1]
        values = [float(v) for v in t.reshape(-1).tolist()]
        parts = []
        for v in values:
            assert math.isfinite(v), "non-finite value in " + name
            s = repr(v)
            assert float(s) == v and struct.pack(">d", float(s)) == struct.pack(">d", v)
            parts.append(s)
            self.crc = zlib.crc32(struct.pack(">d", v), self.crc)
        self.lines.append("%s shape=%s %s" % (name, "x".join(str(d) for d in shape), " ".join(parts)))

    def close(self):
        self.lines.append("crc32 = %08x" % (self.crc & 0xFFFFFFFF))
        with open(self.path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(self.lines) + "\n")
        print("wrote %s (%d bytes)" % (os.path.relpath(self.path), os.path.getsize(self.path)))


# ----------------------------------------------------------------------------------------------
# The model


class Net(nn.Module):
    def __init__(self, input_size, hidden_size, layers, outputs, head, head_hidden=0):
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, layers)
        if head == "linear":
            self.head = nn.Linear(hidden_size, outputs)
        else:
            self.head = nn.Sequential(nn.Linear(hidden_size, head_hidden), nn.ReLU(), nn.Linear(head_hidden, outputs))

    def forward(self, x, h0):
        out, hn = self.gru(x, h0)
        return self.head(out), hn


def write_config(w, c):
    w.text("config.input_size", c["input_size"])
    w.text("config.hidden_size", c["hidden_size"])
    w.text("config.layers", c["layers"])
    w.text("config.outputs", c["outputs"])
    w.text("config.head", c["head"])
    w.text("config.head_hidden", c.get("head_hidden", 0))


def make_net(c):
    return Net(c["input_size"], c["hidden_size"], c["layers"], c["outputs"], c["head"], c.get("head_hidden", 0))


def write_state_dict(w, net, name, values):
    w.text("state_dict", " ".join("%s:%s" % (k, "x".join(str(d) for d in v.shape)) for k, v in net.state_dict().items()))
    w.array(name, values)


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def step_loss(loss_name, y_t, target_t, delta):
    """One step's loss on y_t [O], as PyTorch's losses with reduction='mean' on one sample."""
    if loss_name == "mse":
        return nn.functional.mse_loss(y_t, target_t)
    if loss_name == "l1":
        return nn.functional.l1_loss(y_t, target_t)
    if loss_name == "huber":
        return nn.functional.huber_loss(y_t, target_t, delta=delta)
    if loss_name == "cross-entropy":
        return nn.functional.cross_entropy(y_t.unsqueeze(0), target_t.long().reshape(1))
    raise ValueError(loss_name)


# ----------------------------------------------------------------------------------------------
# (a) forward/backward of one chunk

STEPS = 7

CASES = [
    dict(name="linear_1layer_mse", seed=101, input_size=3, hidden_size=5, layers=1, outputs=2, head="linear",
         loss="mse", mask="all"),
    dict(name="linear_2layer_mse_last", seed=102, input_size=3, hidden_size=5, layers=2, outputs=1, head="linear",
         loss="mse", mask="last"),
    dict(name="mlp_2layer_mse", seed=103, input_size=4, hidden_size=6, layers=2, outputs=2, head="mlp", head_hidden=7,
         loss="mse", mask="all"),
    dict(name="mlp_2layer_cross_entropy_last", seed=104, input_size=4, hidden_size=6, layers=2, outputs=3, head="mlp",
         head_hidden=7, loss="cross-entropy", mask="last"),
    dict(name="linear_2layer_huber", seed=105, input_size=3, hidden_size=5, layers=2, outputs=2, head="linear",
         loss="huber", huber_delta=0.5, mask="all"),
    dict(name="linear_1layer_l1_sparse", seed=106, input_size=3, hidden_size=4, layers=1, outputs=2, head="linear",
         loss="l1", mask="sparse"),
]


def forward_backward_case(c):
    torch.manual_seed(c["seed"])
    net = make_net(c)
    L, H, O, T = c["layers"], c["hidden_size"], c["outputs"], STEPS
    h0 = (0.5 * torch.randn(L, 1, H)).requires_grad_(True)
    x = torch.randn(T, 1, c["input_size"])
    if c["loss"] == "cross-entropy":
        targets = torch.randint(0, O, (T,)).to(torch.float64)
    else:
        targets = torch.randn(T, O)
    labelled = {"all": [1.0] * T, "last": [0.0] * (T - 1) + [1.0], "sparse": [0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]}[c["mask"]]
    delta = c.get("huber_delta", 1.0)

    # The real nn.GRU over the whole sequence: outputs, loss and autograd gradients.
    y, hn = net(x, h0)
    loss_sum = sum(step_loss(c["loss"], y[t, 0], targets[t], delta) for t in range(T) if labelled[t])
    params = list(net.parameters())
    assert [p.data_ptr() for p in params] == [v.data_ptr() for v in net.state_dict().values()]
    loss_sum.backward()

    # Every layer's state at every step: the same module stepped one step at a time.
    hidden = torch.empty(T, L, H)
    with torch.no_grad():
        h = h0.detach()
        for t in range(T):
            _, h = net.gru(x[t:t + 1], h)
            hidden[t] = h[:, 0, :]
            hidden_top = net.gru(x[: t + 1], h0)[0][t, 0]
            assert torch.allclose(hidden[t, L - 1], hidden_top, rtol=0, atol=1e-14)
        assert torch.allclose(hidden[T - 1], hn[:, 0, :].detach(), rtol=0, atol=1e-14)

    # Sanity: the fixture exercises what it claims to.
    if c["head"] == "mlp":
        with torch.no_grad():
            u = net.head[0](hidden[:, L - 1, :])
            neg = int((u <= 0).sum())
            assert 0 < neg < u.numel(), "ReLU should be both active and inactive"
            print("  %s: %d of %d ReLU inputs are <= 0" % (c["name"], neg, u.numel()))
    if c["loss"] == "huber":
        r = (y[:, 0, :] - targets).abs().detach()
        r = r[torch.tensor(labelled) > 0]
        quad = int((r < delta).sum())
        assert 0 < quad < r.numel(), "Huber should see both quadratic and linear residuals"
        print("  %s: %d of %d residuals inside delta=%g" % (c["name"], quad, r.numel(), delta))

    w = FixtureWriter(os.path.join(OUT_DIR, c["name"] + ".txt"), """
        One chunk of %d steps, batch 1: forward from h0 and backward of the loss summed over labelled steps.
        Loss per step: %s on that step's outputs (reduction='mean')%s; loss_sum = sum over labelled steps.
        """ % (T, c["loss"], ", delta=%g" % delta if c["loss"] == "huber" else ""))
    write_config(w, c)
    w.text("loss", c["loss"])
    if c["loss"] == "huber":
        w.text("loss.huber_delta", repr(delta))
    w.text("steps", T)
    write_state_dict(w, net, "parameters", flat(p.detach() for p in params))
    w.array("h0", h0.detach())
    w.array("inputs", x)
    w.array("targets", targets)
    w.array("labelled", torch.tensor(labelled))
    w.array("expected.hidden", hidden)
    w.array("expected.outputs", y[:, 0, :].detach())
    w.array("expected.loss_sum", loss_sum.detach())
    w.array("expected.parameters.grad", flat(p.grad for p in params))
    w.array("expected.h0.grad", h0.grad)
    w.close()


# ----------------------------------------------------------------------------------------------
# (b) a truncated-BPTT training run


def training_run():
    c = dict(input_size=3, hidden_size=5, layers=2, outputs=1, head="linear")
    series_len, chunk, window, lr, max_norm = 60, 8, 16, 0.01, 0.5
    betas, eps = (0.9, 0.999), 1e-8
    torch.manual_seed(2024)
    net = make_net(c)
    params = list(net.parameters())
    initial = flat(p.detach() for p in params).clone()

    t = torch.arange(series_len, dtype=torch.float64)
    x = torch.stack([torch.sin(0.3 * t), torch.cos(0.3 * t), 0.1 * t / series_len], dim=1).unsqueeze(1)  # [T,1,I]
    targets = (0.5 * torch.sin(0.3 * (t + 2.0))).unsqueeze(1)  # [T,1]: a smooth function of the future

    opt = torch.optim.Adam(params, lr=lr, betas=betas, eps=eps, weight_decay=0.0, amsgrad=False)
    opt.zero_grad(set_to_none=False)
    h = torch.zeros(c["layers"], 1, c["hidden_size"])
    count = 0
    chunk_losses, chunk_samples, chunk_end_hidden = [], [], []
    step_after_chunk, step_norms, step_params = [], [], []
    starts = list(range(0, series_len, chunk))
    for ci, s in enumerate(starts):
        e = min(s + chunk, series_len)
        y, hn = net(x[s:e], h.detach())  # the carried state: no gradient flows into the previous chunk
        loss_sum = sum(nn.functional.mse_loss(y[k, 0], targets[s + k]) for k in range(e - s))
        loss_sum.backward()  # accumulates into p.grad
        h = hn.detach()
        count += e - s
        chunk_losses.append(loss_sum.item())
        chunk_samples.append(e - s)
        chunk_end_hidden.append(h.clone())
        if count >= window:
            with torch.no_grad():
                for p in params:
                    p.grad /= count
            norm = torch.nn.utils.clip_grad_norm_(params, max_norm).item()
            opt.step()
            opt.zero_grad(set_to_none=False)
            count = 0
            step_after_chunk.append(ci + 1)
            step_norms.append(norm)
            step_params.append(flat(p.detach() for p in params).clone())
            print("  step %d after chunk %d: gradient norm %.6f %s" % (
                len(step_norms), ci + 1, norm, "(clipped to %g)" % max_norm if norm > max_norm else "(not clipped)"))
    assert len(starts) == 8 and chunk_samples[-1] == 4
    clipped = sum(1 for n in step_norms if n > max_norm)
    assert 0 < clipped < len(step_norms), "clipping must be active for some steps and inactive for others"
    print("  %d optimizer steps, %d clipped; pending at the end: %d samples" % (len(step_norms), clipped, count))

    w = FixtureWriter(os.path.join(OUT_DIR, "tbptt_training_run.txt"), """
        Truncated-BPTT training: one series of %d steps, chunks of %d steps in order (the last is shorter),
        loss per chunk = sum over its steps of MSELoss(outputs, target); gradients accumulate over chunks.
        The hidden state carries across chunks detached, starting from zeros. Whenever the accumulated
        labelled-step count reaches %d: grad /= count; clip_grad_norm_(params, %g); Adam step; zero_grad.
        Adam(lr=%g, betas=%r, eps=%g, weight_decay=0, amsgrad=False), single-tensor (CPU) implementation.
        steps.after_chunk[k] = number of chunks run before optimizer step k+1; steps.grad_norm = the total
        norm clip_grad_norm_ returned (before clipping); steps.parameters[k] = flat parameters after step k+1.
        """ % (series_len, chunk, window, max_norm, lr, betas, eps))
    write_config(w, c)
    w.text("loss", "mse")
    w.text("chunk_steps", chunk)
    w.text("window_samples", window)
    w.text("adam.lr", repr(lr))
    w.text("adam.beta1", repr(betas[0]))
    w.text("adam.beta2", repr(betas[1]))
    w.text("adam.eps", repr(eps))
    w.text("clip.max_norm", repr(max_norm))
    write_state_dict(w, net, "parameters.initial", initial)
    w.array("inputs", x)
    w.array("targets", targets)
    w.array("expected.chunk.loss_sum", torch.tensor(chunk_losses))
    w.array("expected.chunk.samples", torch.tensor(chunk_samples, dtype=torch.float64))
    w.array("expected.chunk.end_hidden", torch.stack(chunk_end_hidden)[:, :, 0, :])
    w.array("expected.steps.after_chunk", torch.tensor(step_after_chunk, dtype=torch.float64))
    w.array("expected.steps.grad_norm", torch.tensor(step_norms))
    w.array("expected.steps.parameters", torch.stack(step_params))
    w.close()


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    print("torch", torch.__version__)
    for c in CASES:
        forward_backward_case(c)
    training_run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
