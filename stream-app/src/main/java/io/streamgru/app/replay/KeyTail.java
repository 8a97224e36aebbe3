package io.streamgru.app.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The last few records of one series (features and target), in a ring: what the warm start
 * replays through the final model to recompute the series' state.
 */
final class KeyTail {

    private final int capacity;
    private final int features;
    private final double[] values;
    private final double[] targets;
    private int size;
    private int next;

    KeyTail(int capacity, int features) {
        this.capacity = capacity;
        this.features = features;
        this.values = new double[capacity * features];
        this.targets = new double[capacity];
    }

    void add(double[] x, double target) {
        System.arraycopy(x, 0, values, next * features, features);
        targets[next] = target;
        next = (next + 1) % capacity;
        size = Math.min(capacity, size + 1);
    }

    int size() {
        return size;
    }

    /** Copies the i-th oldest record's features into {@code x} and returns its target. */
    double get(int i, double[] x) {
        int slot = (next - size + i + capacity) % capacity;
        System.arraycopy(values, slot * features, x, 0, features);
        return targets[slot];
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            int slot = (next - size + i + capacity) % capacity;
            for (int j = 0; j < features; j++) {
                out.writeDouble(values[slot * features + j]);
            }
            out.writeDouble(targets[slot]);
        }
    }

    static KeyTail readFrom(DataInputStream in, int capacity, int features) throws IOException {
        KeyTail t = new KeyTail(capacity, features);
        int n = in.readInt();
        double[] x = new double[features];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < features; j++) {
                x[j] = in.readDouble();
            }
            t.add(x, in.readDouble());
        }
        return t;
    }
}
