#!/usr/bin/env python3
"""Where the CPU and the allocation of an end-to-end benchmark run go, from its JFR recording.

Usage: bench/jfr-breakdown.py RUN.jfr [RUN2.jfr ...]      (recordings of bench/e2e-throughput.sh --jfr DIR)

For each recording: the Java execution samples (jdk.ExecutionSample) by thread group (the app's
stream thread, its global thread, its producer/consumer I/O threads, the in-JVM broker, the rest),
then the stream thread's samples by what they were doing, and the sampled allocation
(jdk.ObjectAllocationSample, by weight) by the same categories. A sample belongs to the first
CONTEXT below found anywhere in its stack (a whole activity, e.g. sending a gradient batch), else
to the first frame, from the top of the stack down, that matches a RULE, so e.g. a
System.arraycopy inside SeriesStateCodec counts as "series state codec". Threads in native code
(RocksDB's JNI calls, socket I/O) are not in jdk.ExecutionSample; the pass-through run, which does
the same RocksDB calls, bounds their cost.
Needs: the JDK's `jfr` tool, python3.
"""
import collections
import json
import subprocess
import sys

# Whole activities, matched anywhere in the stack first (inclusive: e.g. the producer's copy of a
# gradient batch counts as "gradient batch"):
CONTEXT = [
    ("gradient batch: clone, encode, send (LearnerProcessor.send)", ("io.streamgru.app.topology.LearnerProcessor.send",
                                                                     "io.streamgru.app.topology.LearnerProcessor.flush",
                                                                     "io.streamgru.app.topology.GradientBatchCodec.encode")),
    ("optimizer task (decode batch, step, publish, store)", ("io.streamgru.app.topology.OptimizerProcessor",)),
    ("model switch: ModelVersionCodec.decode, new GruModel", ("io.streamgru.app.topology.LearnerProcessor.switchToNewestModel",
                                                             "io.streamgru.app.topology.ModelTracker")),
]
# Then the first frame from the top of the stack down that matches one of these:
RULES = [
    ("GRU maths: forward step, BPTT, loss", ("io.streamgru.model.gru.", "io.streamgru.model.loss.")),
    ("normalisers (Welford)", ("io.streamgru.model.norm.",)),
    ("gradient window (add chunk gradient)", ("io.streamgru.model.optim.",)),
    ("series state codec (SeriesStateCodec, new SeriesState)", ("io.streamgru.model.online.SeriesStateCodec",
                                                               "io.streamgru.model.online.SeriesState.")),
    ("JSON input decode (Jackson)", ("io.streamgru.app.input.", "com.fasterxml.jackson.")),
    ("JSON forecast encode", ("io.streamgru.app.topology.JsonForecastEncoder",)),
    ("other SeriesLearner / learner code", ("io.streamgru.",)),
    ("Kafka producer: send, serialise, copy", ("org.apache.kafka.clients.producer.",
                                              "org.apache.kafka.common.record.",
                                              "org.apache.kafka.streams.processor.internals.RecordCollectorImpl")),
    ("RocksDB store (Java side) + changelog", ("org.rocksdb.", "org.apache.kafka.streams.state.internals.")),
    ("Kafka consumer: poll, fetch, deserialise", ("org.apache.kafka.clients.consumer.",
                                                 "org.apache.kafka.common.network.",
                                                 "org.apache.kafka.clients.NetworkClient")),
    ("Kafka Streams runtime (other)", ("org.apache.kafka.streams.",)),
    ("Kafka common (other)", ("org.apache.kafka.common.",)),
    ("broker (kafka.*, org.apache.kafka.storage/server/raft)", ("kafka.", "org.apache.kafka.storage.",
                                                               "org.apache.kafka.server.", "org.apache.kafka.raft.",
                                                               "org.apache.kafka.coordinator.")),
]


def thread_group(name):
    if name is None:
        return "(unknown)"
    if "StreamThread-" in name and "|" not in name and not name.endswith("-producer"):
        return "stream thread"
    if "GlobalStreamThread" in name and "|" not in name:
        return "global stream thread (model store)"
    if name.startswith("kafka-producer-network-thread") or name.startswith("kafka-coordinator-heartbeat") \
            or name.startswith("kafka-admin-client-thread") or "consumer" in name:
        return "app clients (producer/consumer I/O)"
    if name.startswith("data-plane") or name.startswith("kafka-") or name.startswith("broker-") \
            or "Controller" in name or name.startswith("quorum") or name.startswith("Replica") \
            or name.startswith("raft") or name.startswith("group-coordinator") or name.startswith("transaction") \
            or name.startswith("LogDirFailureHandler") or name.startswith("ExpirationReaper") \
            or name.startswith("kafka-scheduler") or name.startswith("log-cleaner") \
            or name.startswith("executor-") or name.startswith("share-"):
        return "broker (in this JVM)"
    return "other (" + name.split("-")[0][:24] + ")"


def frame_name(frame):
    m = frame.get("method") or {}
    t = (m.get("type") or {}).get("name", "?").replace("/", ".")
    return t + "." + m.get("name", "?")


def category(frames):
    names = [frame_name(f) for f in frames]
    for cat, prefixes in CONTEXT:
        if any(n.startswith(prefixes) for n in names):
            return cat
    for n in names:
        for cat, prefixes in RULES:
            if n.startswith(prefixes):
                return cat
    return "other: " + (names[0] if names else "?")


def events(path, event):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", event, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def table(title, counter, total=None, top=20):
    total = total or sum(counter.values()) or 1
    print(f"\n{title}")
    for k, v in counter.most_common(top):
        print(f"  {100.0 * v / total:5.1f} %  {k}")


def main():
    for path in sys.argv[1:]:
        print(f"=== {path}")
        samples = events(path, "jdk.ExecutionSample")
        by_thread = collections.Counter()
        stream = collections.Counter()
        stream_top = collections.Counter()
        for e in samples:
            v = e["values"]
            name = (v.get("sampledThread") or {}).get("javaName")
            group = thread_group(name)
            by_thread[group] += 1
            frames = (v.get("stackTrace") or {}).get("frames") or []
            if group == "stream thread":
                stream[category(frames)] += 1
                if frames:
                    stream_top[frame_name(frames[0])] += 1
        print(f"{len(samples)} Java execution samples")
        table("Java samples by thread group", by_thread)
        table("stream thread: samples by category", stream)
        table("stream thread: top frames", stream_top, top=15)
        alloc = events(path, "jdk.ObjectAllocationSample")
        by_thread_alloc = collections.Counter()
        stream_alloc = collections.Counter()
        for e in alloc:
            v = e["values"]
            w = v.get("weight", 0)
            group = thread_group((v.get("eventThread") or {}).get("javaName"))
            by_thread_alloc[group] += w
            if group == "stream thread":
                stream_alloc[category((v.get("stackTrace") or {}).get("frames") or [])] += w
        total = sum(by_thread_alloc.values())
        print(f"\nsampled allocation: {total / 1e9:.2f} GB (weights of jdk.ObjectAllocationSample; a thread's first"
              " sample carries all its allocation since it started, so long-lived threads such as main are inflated)")
        table("allocation by thread group", by_thread_alloc)
        table("stream thread: allocation by category", stream_alloc)


if __name__ == "__main__":
    main()
