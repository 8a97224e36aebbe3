#!/usr/bin/python3
"""Writes the PyTorch interop fixture for StreamGRU's safetensors reader.

Builds a seeded float64 module (``gru`` = nn.GRU(3, 5, num_layers=2), ``head`` = nn.Linear(5, 2)),
writes its state_dict to ../resources/fixtures/torch_gru2_linear.safetensors and the exact expected
contents (names, dtypes, shapes, file order, every value as float.hex) to
torch_gru2_linear.expected.txt beside it. The fixture is committed because CI has no torch.

torch 1.13 has no safetensors package, so the format is written and read by hand here
(struct + json); ``check_streamgru_safetensors.py`` reuses the reader.

Run with Debian's python3 (it has python3-torch):  /usr/bin/python3 make_safetensors_fixture.py
"""
import json
import pathlib
import struct
import sys

import torch
from torch import nn

SEED = 20240601
FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "resources" / "fixtures"

# safetensors dtype name -> (torch dtype, bytes per element)
DTYPES = {
    "F64": (torch.float64, 8),
    "F32": (torch.float32, 4),
    "F16": (torch.float16, 2),
    "BF16": (torch.bfloat16, 2),
}
STRUCT_CODES = {"F64": "d", "F32": "f"}


class GruModel(nn.Module):
    """The module StreamGRU's parameter names mirror: attributes ``gru`` and ``head``, and with
    ``linear_inputs`` the linear path beside the GRU, ``highway`` = nn.Linear(linear_inputs, outputs,
    bias=False), whose output is added to the head's; forward then takes its inputs ``u`` [T, B,
    linear_inputs] (for a StreamGRU forecaster: the step's model inputs, then its linear_lags - 1
    earlier normalised target changes, newest first; see docs/ARCHITECTURE.md)."""

    def __init__(self, inputs=3, hidden=5, layers=2, outputs=2, head_hidden=0, linear_inputs=0):
        super().__init__()
        self.gru = nn.GRU(inputs, hidden, num_layers=layers)
        if head_hidden:
            self.head = nn.Sequential(nn.Linear(hidden, head_hidden), nn.ReLU(), nn.Linear(head_hidden, outputs))
        else:
            self.head = nn.Linear(hidden, outputs)
        if linear_inputs:
            self.highway = nn.Linear(linear_inputs, outputs, bias=False)

    def forward(self, x, h0=None, u=None):
        out, h = self.gru(x, h0)
        y = self.head(out)
        if hasattr(self, "highway"):
            y = y + self.highway(u)
        return y, h


def write_safetensors(path, tensors, metadata=None, dtype="F64"):
    """Writes {name: tensor} in dict order; header padded with spaces to 8 bytes like the reference."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    blobs = []
    offset = 0
    for name, t in tensors.items():
        values = t.detach().to(torch.float64).contiguous().flatten().tolist()
        blob = struct.pack("<%d%s" % (len(values), STRUCT_CODES[dtype]), *values)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    """Returns ({name: tensor} in data-offset order, metadata dict)."""
    assert sys.byteorder == "little", "torch.frombuffer below assumes a little-endian host"
    raw = pathlib.Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        torch_dtype, size = DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        shape = entry["shape"]
        if end == begin:
            tensors[name] = torch.empty(shape, dtype=torch_dtype)
        else:
            tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch_dtype).reshape(shape)
    return tensors, metadata


def fixture_model():
    # Created in float64 (not float32 then .double()), so values use all 53 mantissa bits and a
    # reader that went through float32 would fail the Java test.
    torch.set_default_dtype(torch.float64)
    try:
        torch.manual_seed(SEED)
        return GruModel(3, 5, 2, 2)
    finally:
        torch.set_default_dtype(torch.float32)


def main():
    model = fixture_model()
    state = model.state_dict()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    path = FIXTURES / "torch_gru2_linear.safetensors"
    metadata = {"format": "pt", "source": "make_safetensors_fixture.py seed %d" % SEED}
    write_safetensors(path, state, metadata)

    # Read it back with the independent reader before trusting it as a fixture.
    back, back_meta = read_safetensors(path)
    assert list(back) == list(state) and back_meta == metadata
    assert all(torch.equal(back[k], state[k]) for k in state)

    lines = [
        "# Expected contents of torch_gru2_linear.safetensors (written by make_safetensors_fixture.py).",
        "# metadata <key> <value...> | tensor <name> <dtype> <shape, comma-separated> (file order)",
        "# value <name> <flat row-major index> <float.hex, exact> <repr, for reading>",
        "torch %s" % torch.__version__,
    ]
    for key, value in metadata.items():
        lines.append("metadata %s %s" % (key, value))
    for name, t in state.items():
        lines.append("tensor %s F64 %s" % (name, ",".join(str(d) for d in t.shape)))
    for name, t in state.items():
        for i, v in enumerate(t.flatten().tolist()):
            lines.append("value %s %d %s %r" % (name, i, float.hex(v), v))
    (FIXTURES / "torch_gru2_linear.expected.txt").write_text("\n".join(lines) + "\n")
    print("wrote", path, "and its .expected.txt (%d tensors, %d values)"
          % (len(state), sum(t.numel() for t in state.values())))


if __name__ == "__main__":
    main()
