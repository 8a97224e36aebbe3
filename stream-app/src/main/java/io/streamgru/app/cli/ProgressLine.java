package io.streamgru.app.cli;

import io.streamgru.model.online.PrequentialEvaluation;
import java.io.PrintWriter;

/** Progress of a long pass on stderr: rows done, percent, rate and time left, at most once a second. */
final class ProgressLine implements PrequentialEvaluation.Progress {

    private final PrintWriter err;
    private final String task;
    private final long started = System.nanoTime();
    private boolean printed;

    ProgressLine(PrintWriter err, String task) {
        this.err = err;
        this.task = task;
    }

    @Override
    public void rowsDone(int done, int total) {
        if (done == total && !printed) {
            return; // a pass that finished within a second needs no progress report
        }
        printed = true;
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        double rate = done / seconds;
        double eta = rate > 0 ? (total - done) / rate : 0;
        err.printf("%s: %,d/%,d rows (%.0f%%), %,.0f rows/s, %.0f s left%n",
                task, done, total, 100.0 * done / Math.max(1, total), rate, eta);
        err.flush();
    }
}
