package io.streamgru.app.replay;

import io.streamgru.app.history.HistoryBounds;
import io.streamgru.app.input.InvalidRecordException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A replay's checkpoint: which run it belongs to (app id, configuration hash, input topics, the
 * model version it started from), where reading stands (per partition: the next offset and the
 * end offset captured at the start), the invalid records counted, and the whole trainer
 * ({@link ReplayTrainer#writeTo}: parameters, optimizer state, normaliser statistics, every key's
 * state and last records, counters). Taken only between optimizer steps, so nothing is in flight.
 * Written atomically: a temporary file, synced, then renamed over the old one.
 */
final class ReplayCheckpoint {

    private static final int MAGIC = 0x5347_5250; // "SGRP"
    private static final int FORMAT = 1;

    /** What identifies the run and where reading stands; the trainer follows in the file. */
    record Header(String appId, String configHash, List<String> topics, long baseVersion, long baseSamples,
                  HistoryBounds positions, Map<InvalidRecordException.Reason, Long> invalid) {
    }

    /** A checkpoint read back. */
    record Loaded(Header header, ReplayTrainer trainer) {
    }

    private ReplayCheckpoint() {
    }

    /** The checkpoint file of an application in {@code dir}. */
    static Path file(Path dir, String appId) {
        return dir.resolve(appId + ".replay-checkpoint");
    }

    static void write(Path file, Header h, ReplayTrainer trainer) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                     java.nio.channels.Channels.newOutputStream(channel), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(h.appId());
            out.writeUTF(h.configHash());
            out.writeUTF(String.join(",", h.topics()));
            out.writeLong(h.baseVersion());
            out.writeLong(h.baseSamples());
            out.writeInt(h.positions().start().size());
            for (Map.Entry<TopicPartition, Long> e : h.positions().start().entrySet()) {
                out.writeUTF(e.getKey().topic());
                out.writeInt(e.getKey().partition());
                out.writeLong(e.getValue());
                out.writeLong(h.positions().end().get(e.getKey()));
            }
            out.writeInt(h.invalid().size());
            for (Map.Entry<InvalidRecordException.Reason, Long> e : h.invalid().entrySet()) {
                out.writeUTF(e.getKey().name());
                out.writeLong(e.getValue());
            }
            trainer.writeTo(out);
            out.flush();
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads the header only (to check the checkpoint belongs to this run). */
    static Header readHeader(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            return header(in, file);
        }
    }

    static Loaded read(Path file, ReplayTrainerShape shape) throws IOException {
        try (DataInputStream in = open(file)) {
            Header h = header(in, file);
            return new Loaded(h, ReplayTrainer.readFrom(in, shape.config(), shape.samplesPerStep(), shape.tailLength()));
        }
    }

    /** What a trainer read back must have been written for. */
    record ReplayTrainerShape(io.streamgru.model.online.LearnerConfig config, int samplesPerStep, int tailLength) {
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }

    private static Header header(DataInputStream in, Path file) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
            throw new IOException(file + " is not a StreamGRU replay checkpoint (of this version)");
        }
        String appId = in.readUTF();
        String hash = in.readUTF();
        List<String> topics = List.of(in.readUTF().split(","));
        long baseVersion = in.readLong();
        long baseSamples = in.readLong();
        int n = in.readInt();
        Map<TopicPartition, Long> start = new LinkedHashMap<>();
        Map<TopicPartition, Long> end = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            TopicPartition tp = new TopicPartition(in.readUTF(), in.readInt());
            start.put(tp, in.readLong());
            end.put(tp, in.readLong());
        }
        Map<InvalidRecordException.Reason, Long> invalid = new EnumMap<>(InvalidRecordException.Reason.class);
        int m = in.readInt();
        for (int i = 0; i < m; i++) {
            invalid.put(InvalidRecordException.Reason.valueOf(in.readUTF()), in.readLong());
        }
        return new Header(appId, hash, topics, baseVersion, baseSamples, new HistoryBounds(start, end), invalid);
    }
}
