package io.streamgru.app.evaluate;

/**
 * Running sums of each method's absolute error over the scored rows, kept every {@code stride}
 * scored rows, for the rolling-MAE plot. Memory is bounded: when {@link #CAPACITY} sums are held,
 * every other one is dropped and the stride doubles. Up to {@link #CAPACITY} scored rows the
 * plot is exact; beyond, its rolling window is rounded to a multiple of the stride (the stride
 * is at most 1/32768 of the scored rows, so a window of 1/50 of them moves by at most 0.08 %) and its
 * points fall on stride boundaries.
 */
final class ErrorTrail {

    /** Sums held before thinning (a power of two): 2.6 MB for four methods. */
    static final int CAPACITY = 1 << 16;

    private final int methods;
    private final double[] running;
    /** Entry j: sums after j·stride scored rows (flat, {@code methods} per entry), and that row's time. */
    private double[] sums;
    private long[] times;
    private int entries = 1;
    private long stride = 1;
    private long scored;

    ErrorTrail(int methods) {
        this.methods = methods;
        running = new double[methods];
        sums = new double[(CAPACITY + 1) * methods];
        times = new long[CAPACITY + 1];
    }

    /** A scored row at {@code time}: each method's forecast and the actual. */
    void add(long time, double[] forecasts, double actual) {
        for (int m = 0; m < methods; m++) {
            running[m] += Math.abs(forecasts[m] - actual);
        }
        if (++scored % stride != 0) {
            return;
        }
        System.arraycopy(running, 0, sums, entries * methods, methods);
        times[entries++] = time;
        if (entries == CAPACITY + 1) {
            for (int j = 1; j <= CAPACITY / 2; j++) {
                System.arraycopy(sums, 2 * j * methods, sums, j * methods, methods);
                times[j] = times[2 * j];
            }
            entries = CAPACITY / 2 + 1;
            stride *= 2;
        }
    }

    long scored() {
        return scored;
    }

    /** The rolling window the plot uses for a requested one: a multiple of the stride, at least one stride. */
    long window(long requested) {
        return Math.max(1, Math.round((double) requested / stride)) * stride;
    }

    /**
     * The rolling MAE of {@code method} over {@code window(requested)} scored rows, at up to
     * {@code maxPoints} ends evenly spread over the rows: {x = time of the window's last row, y}.
     * Empty when there are fewer scored rows than the window.
     */
    double[][] rolling(int method, long requested, int maxPoints) {
        long window = window(requested);
        long back = window / stride;
        long first = back;
        long last = entries - 1;
        if (scored < window || last < first) {
            return new double[][] {new double[0], new double[0]};
        }
        long ends = last - first + 1;
        int points = (int) Math.min(maxPoints, ends);
        double[] x = new double[points];
        double[] y = new double[points];
        for (int p = 0; p < points; p++) {
            int j = (int) (first + (points == 1 ? ends - 1 : (long) p * (ends - 1) / (points - 1)));
            x[p] = times[j];
            y[p] = (sums[j * methods + method] - sums[(int) (j - back) * methods + method]) / window;
        }
        return new double[][] {x, y};
    }
}
