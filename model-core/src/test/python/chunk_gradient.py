#!/usr/bin/python3
"""PyTorch's gradient of one truncated-BPTT chunk of a StreamGRU model, to compare with StreamGRU's.

    /usr/bin/python3 chunk_gradient.py FILE --inputs V,... --linear V,... --targets V,... --start V,...

Loads FILE (check_streamgru_safetensors.build_module, float64), runs the chunk (T steps x input size,
batch 1) from the start state (layers x hidden), adds the linear path's output (T x linear inputs)
when the model has one, takes the sum over steps of MSELoss (mean over outputs) against the targets
(T x outputs) and back-propagates with autograd. Prints ``LOSS v`` and one ``GRAD name v v ...``
line per parameter in state_dict order.
"""
import argparse

import torch

from check_streamgru_safetensors import build_module
from make_safetensors_fixture import read_safetensors


def floats(text):
    return [float(v) for v in text.split(",")] if text else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--linear", default="")
    parser.add_argument("--targets", required=True)
    parser.add_argument("--start", required=True)
    args = parser.parse_args()

    tensors, _ = read_safetensors(args.file)
    model = build_module(tensors).double()
    model.load_state_dict({k: v.to(torch.float64) for k, v in tensors.items()}, strict=True)
    size, hidden, layers = model.gru.input_size, model.gru.hidden_size, model.gru.num_layers
    x = torch.tensor(floats(args.inputs), dtype=torch.float64)
    steps = x.numel() // size
    x = x.reshape(steps, 1, size)
    h0 = torch.tensor(floats(args.start), dtype=torch.float64).reshape(layers, 1, hidden)
    u = None
    if hasattr(model, "highway"):
        u = torch.tensor(floats(args.linear), dtype=torch.float64).reshape(steps, 1, model.highway.in_features)
    y, _ = model(x, h0, u=u)
    targets = torch.tensor(floats(args.targets), dtype=torch.float64).reshape(y.shape)
    loss = sum(torch.nn.functional.mse_loss(y[t], targets[t]) for t in range(steps))
    loss.backward()
    print("LOSS %r" % loss.item())
    for name, p in model.named_parameters():
        print("GRAD %s %s" % (name, " ".join(repr(v) for v in p.grad.reshape(-1).tolist())))


if __name__ == "__main__":
    main()
