#!/usr/bin/python3
"""The online learner's per-record work in PyTorch, for a side-by-side comparison with the Java
JMH benchmark ChunkTrainingBenchmark (bench/src/main/java/io/streamgru/bench/OnlineWorkload.java).

One "record" is, on both sides:
  1. one forward step on the series' live hidden state (the forecast, before the record's target is
     used), without autograd;
  2. the record's input and target go into the current chunk; every k records one forward +
     backward over the chunk (k steps from the chunk's detached start state, MSE at every step),
     whose end state (detached) starts the next chunk. (The Java side takes the chunk's forward
     activations from its forecast steps when no optimizer step fell in between, ForwardTrace;
     this script recomputes them, as the usual truncated-BPTT recipe does: autograd keeps no graph
     of no_grad forecasts. --keep-graph times the other recipe, forecasts with autograd on and one
     backward over their graph at the chunk's end, no recomputation: slower in PyTorch, ~165 against
     ~120 us per record of CPU at the defaults, so the recomputing recipe is the baseline);
  3. every W samples one Adam step (torch defaults, lr 1e-3) on the gradient averaged over the W
     samples (Java: GradientAccumulator divides the summed gradient by the sample count; here the
     chunk loss is the sum of the per-step MSEs divided by W, the same gradient), then zero_grad.
Model: nn.GRU(I, H, num_layers=L) + nn.Linear(H, 1), PyTorch's default init. One thread
(torch.set_num_threads(1)), float32 by default (--float64 for the same precision as Java).

The data are the same kind of series as SyntheticSeries.java: I sines of different periods plus
noise, target = next record's first feature.

Prints one JSON line: records/s (median over --repeats timed runs of --records records each, after
--warmup records), per repeat wall-clock and thread-CPU rates, and the configuration.

usage: /usr/bin/python3 bench/pytorch_online.py [--hidden 64] [--inputs 8] [--layers 1]
       [--chunk 32] [--window 32] [--records 2048] [--repeats 7] [--warmup 512] [--float64] [--keep-graph]
"""
import argparse
import json
import math
import platform
import statistics
import time

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self, inputs, hidden, layers):
        super().__init__()
        self.gru = nn.GRU(inputs, hidden, num_layers=layers)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x, h):
        out, h_n = self.gru(x, h)
        return self.head(out), h_n


def synthetic_series(records, inputs, seed, dtype):
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(records + 1, dtype=torch.float64).unsqueeze(1)
    j = torch.arange(inputs, dtype=torch.float64).unsqueeze(0)
    period = 8.0 + 5.0 * j
    noise = 0.1 * (torch.rand(records + 1, inputs, generator=g, dtype=torch.float64) * 2 - 1)
    raw = torch.sin(2 * math.pi * t / period + j) + noise
    x = raw[:records].to(dtype)
    y = raw[1:, :1].to(dtype)
    return x, y


class OnlineLearner:
    def __init__(self, args, dtype):
        torch.manual_seed(7)
        self.net = Net(args.inputs, args.hidden, args.layers).to(dtype)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.chunk = args.chunk
        self.window = args.window
        self.x, self.y = synthetic_series(4096, args.inputs, 8, dtype)
        shape = (args.layers, 1, args.hidden)
        self.live = torch.zeros(shape, dtype=dtype)
        self.chunk_start = torch.zeros(shape, dtype=dtype)
        self.chunk_x = torch.zeros(args.chunk, 1, args.inputs, dtype=dtype)
        self.chunk_y = torch.zeros(args.chunk, 1, 1, dtype=dtype)
        self.in_chunk = 0
        self.samples = 0
        self.cursor = 0
        self.opt.zero_grad(set_to_none=False)

    def record(self):
        t = self.cursor
        self.cursor = (t + 1) % self.x.shape[0]
        x = self.x[t]
        with torch.no_grad():
            out, self.live = self.net(x.view(1, 1, -1), self.live)
        self.chunk_x[self.in_chunk, 0] = x
        self.chunk_y[self.in_chunk, 0, 0] = self.y[t, 0]
        self.in_chunk += 1
        if self.in_chunk == self.chunk:
            self.in_chunk = 0
            self.train_chunk()
        return out

    def record_keeping_graph(self):
        """The same record without recomputing: the forecast builds the graph the chunk's backward uses."""
        t = self.cursor
        self.cursor = (t + 1) % self.x.shape[0]
        x = self.x[t]
        if self.in_chunk == 0:
            self.graph_state = self.live.detach()
            self.graph_loss = 0
        out, self.graph_state = self.net(x.view(1, 1, -1), self.graph_state)
        self.graph_loss = self.graph_loss + ((out - self.y[t, 0]) ** 2).sum()
        self.live = self.graph_state
        self.in_chunk += 1
        if self.in_chunk == self.chunk:
            self.in_chunk = 0
            (self.graph_loss / self.window).backward()
            self.samples += self.chunk
            if self.samples >= self.window:
                self.opt.step()
                self.opt.zero_grad(set_to_none=False)
                self.samples = 0
        return out.detach()

    def train_chunk(self):
        out, h_n = self.net(self.chunk_x, self.chunk_start)
        # Sum of per-step MSEs (outputs=1), scaled as the window's mean: the gradient Java averages.
        loss = ((out - self.chunk_y) ** 2).sum() / self.window
        loss.backward()
        self.chunk_start = h_n.detach()
        self.samples += self.chunk
        if self.samples >= self.window:
            self.opt.step()
            self.opt.zero_grad(set_to_none=False)
            self.samples = 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--inputs", type=int, default=8)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--chunk", type=int, default=32)
    p.add_argument("--window", type=int, default=32)
    p.add_argument("--records", type=int, default=2048, help="records per timed repeat")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--warmup", type=int, default=512)
    p.add_argument("--float64", action="store_true", help="double precision, like the Java side")
    p.add_argument("--keep-graph", action="store_true",
                   help="forecast with autograd and back-propagate through that graph (no recomputation)")
    args = p.parse_args()
    if args.records % args.chunk:
        p.error("--records must be a multiple of --chunk (every repeat then holds whole chunks)")

    torch.set_num_threads(1)
    dtype = torch.float64 if args.float64 else torch.float32
    learner = OnlineLearner(args, dtype)
    record = learner.record_keeping_graph if args.keep_graph else learner.record
    for _ in range(args.warmup):
        record()

    wall_rates = []
    cpu_rates = []
    for _ in range(args.repeats):
        w0 = time.perf_counter()
        c0 = time.thread_time()
        for _ in range(args.records):
            record()
        c1 = time.thread_time()
        w1 = time.perf_counter()
        wall_rates.append(args.records / (w1 - w0))
        cpu_rates.append(args.records / (c1 - c0))

    print(json.dumps({
        "impl": "pytorch-keep-graph" if args.keep_graph else "pytorch",
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "dtype": str(dtype).replace("torch.", ""),
        "inputs": args.inputs, "hidden": args.hidden, "layers": args.layers,
        "chunk": args.chunk, "window": args.window,
        "records_per_repeat": args.records, "repeats": args.repeats,
        "records_per_s_median": round(statistics.median(wall_rates), 1),
        "records_per_cpu_s_median": round(statistics.median(cpu_rates), 1),
        "us_per_record_median": round(1e6 / statistics.median(wall_rates), 2),
        "cpu_us_per_record_median": round(1e6 / statistics.median(cpu_rates), 2),
        "records_per_s": [round(r, 1) for r in wall_rates],
        "records_per_cpu_s": [round(r, 1) for r in cpu_rates],
    }))


if __name__ == "__main__":
    main()
