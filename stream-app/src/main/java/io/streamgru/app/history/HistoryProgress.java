package io.streamgru.app.history;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr for a pass over history, redrawn about once a second: share
 * done, records, records per second and the time left to the end offsets captured at the start.
 * Nothing is printed for a pass that ends within the first second.
 */
public final class HistoryProgress {

    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final String task;
    private final long total;
    private final LongSupplier remaining;
    private final long started = System.nanoTime();
    private long nextDraw = started + 1_000_000_000L;
    private boolean drawn;

    /**
     * @param total     records to read (between the start and end offsets)
     * @param remaining records still to read (asked at each redraw)
     */
    public HistoryProgress(PrintWriter err, String task, long total, LongSupplier remaining) {
        this.err = err;
        this.task = task;
        this.total = Math.max(1, total);
        this.remaining = remaining;
    }

    /** Call after each record (cheap: a clock read every 1024 records). */
    public void recordDone(long records) {
        if ((records & 1023) == 0 && System.nanoTime() >= nextDraw) {
            draw(records, remaining.getAsLong());
        }
    }

    /** Ends the line (if one was drawn) with the final numbers. */
    public void finish(long records) {
        if (drawn) {
            draw(records, 0);
            err.println();
            err.flush();
        }
    }

    private void draw(long records, long left) {
        long now = System.nanoTime();
        nextDraw = now + 1_000_000_000L;
        drawn = true;
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double rate = records / seconds;
        double done = Math.min(1.0, (double) (total - left) / total);
        int filled = (int) Math.round(done * WIDTH);
        long eta = rate > 0 ? Math.round(left / rate) : 0;
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3.0f%%  %,d records  %,.0f rec/s  ETA %d:%02d:%02d ",
                task, "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * done, records, rate,
                eta / 3600, eta / 60 % 60, eta % 60));
        err.flush();
    }
}
