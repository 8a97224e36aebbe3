package io.streamgru.app.cli;

import io.streamgru.app.history.HistoryRange;
import java.time.Clock;
import picocli.CommandLine.Option;

/** Which part of the input topics a history command reads (a picocli mixin). */
public final class HistoryOptions {

    @Option(names = "--from", paramLabel = "TIME", description = "Start at the first record with a timestamp at "
            + "or after TIME: an ISO-8601 instant (2026-01-31T00:00:00Z) or a duration back from now (P7D, PT12H, "
            + "7d, 12h, 30m, 45s) (default: the earliest offset).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description =
        "Stop before the first record with a timestamp at or after TIME (same forms; default: the end offsets at the start).")
    String to;

    @Option(names = "--offsets", paramLabel = "T:P:O,...", description =
        "Start partition P of topic T at offset O (wins over --from there; other partitions as above).")
    String offsets;

    /** Whether any of these options was given. */
    public boolean given() {
        return from != null || to != null || offsets != null;
    }

    /** The range these options describe. */
    public HistoryRange range() {
        return HistoryRange.parse(from, to, offsets, Clock.systemUTC());
    }
}
