#!/usr/bin/python3
"""Loads a StreamGRU-written safetensors file into the matching PyTorch module and prints OK.

    /usr/bin/python3 check_streamgru_safetensors.py FILE [--same-values-as OTHER.safetensors]
                                                  [--outputs-for V,V,...] [--linear-for V,V,...]

The module (``gru`` = nn.GRU, ``head`` = nn.Linear or nn.Sequential(Linear, ReLU, Linear)) is sized
from the file's tensor shapes, then ``load_state_dict(strict=True)`` checks that every PyTorch name
and shape is there and nothing else is. A forward pass on a short sequence must give finite numbers.
With --same-values-as, every tensor must equal the other file's exactly (after F32 -> F64 widening).
With --outputs-for, the values (T steps x input size, row-major, batch 1, zero initial state) are
run through the module in float64 and the head's outputs at every step are printed on a line
starting with OUTPUTS, so a caller can compare them with its own. A model with a linear path
(``highway.weight``) needs its inputs too: --linear-for (T steps x linear inputs, row-major).
Exits non-zero with the reason on any mismatch.
"""
import argparse
import sys

import torch

from make_safetensors_fixture import GruModel, read_safetensors


def build_module(tensors):
    ih0 = tensors["gru.weight_ih_l0"]
    hidden, inputs = ih0.shape[0] // 3, ih0.shape[1]
    layers = 1
    while "gru.weight_ih_l%d" % layers in tensors:
        layers += 1
    linear = tensors["highway.weight"].shape[1] if "highway.weight" in tensors else 0
    if "head.weight" in tensors:
        return GruModel(inputs, hidden, layers, tensors["head.weight"].shape[0], linear_inputs=linear)
    return GruModel(inputs, hidden, layers, tensors["head.2.weight"].shape[0], tensors["head.0.weight"].shape[0],
                    linear_inputs=linear)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--same-values-as", metavar="OTHER")
    parser.add_argument("--outputs-for", metavar="V,V,...")
    parser.add_argument("--linear-for", metavar="V,V,...")
    args = parser.parse_args()

    tensors, metadata = read_safetensors(args.file)
    try:
        model = build_module(tensors).double()
    except (KeyError, IndexError) as e:
        sys.exit("cannot size a GRU module from %s: missing or malformed %s" % (list(tensors), e))
    model.load_state_dict({k: v.to(torch.float64) for k, v in tensors.items()}, strict=True)

    if args.same_values_as:
        other, _ = read_safetensors(args.same_values_as)
        if list(other) != list(tensors):
            sys.exit("tensor names/order differ: %s vs %s" % (list(tensors), list(other)))
        for name, t in tensors.items():
            if not torch.equal(t.to(torch.float64), other[name].to(torch.float64)):
                sys.exit("values of %s differ" % name)

    x = torch.linspace(-1, 1, 4 * model.gru.input_size, dtype=torch.float64).reshape(4, 1, model.gru.input_size)
    linear = model.highway.in_features if hasattr(model, "highway") else 0
    u = torch.linspace(-1, 1, 4 * linear, dtype=torch.float64).reshape(4, 1, linear) if linear else None
    with torch.no_grad():
        y, _ = model(x, u=u)
    if not torch.isfinite(y).all():
        sys.exit("forward pass gave non-finite outputs")
    if args.outputs_for:
        values = [float(v) for v in args.outputs_for.split(",")]
        size = model.gru.input_size
        if len(values) % size:
            sys.exit("--outputs-for has %d values, not a multiple of the input size %d" % (len(values), size))
        steps = len(values) // size
        seq = torch.tensor(values, dtype=torch.float64).reshape(steps, 1, size)
        u = None
        if linear:
            if not args.linear_for:
                sys.exit("the model has a linear path: --linear-for is needed")
            lv = [float(v) for v in args.linear_for.split(",")]
            if len(lv) != steps * linear:
                sys.exit("--linear-for has %d values, not %d steps x %d" % (len(lv), steps, linear))
            u = torch.tensor(lv, dtype=torch.float64).reshape(steps, 1, linear)
        with torch.no_grad():
            out, _ = model(seq, u=u)
        print("OUTPUTS " + " ".join(repr(v) for v in out.reshape(-1).tolist()))
    print("OK %s: %d tensors, %s, metadata %s" % (args.file, len(tensors), model.gru, metadata))


if __name__ == "__main__":
    main()
