package io.streamgru.model.drift;

import java.util.SplittableRandom;

/**
 * The demo's simulated fleet of room sensors (stream-app's {@code SensorFleet}, which model-core
 * cannot depend on), the same formulas and random draws: one reading per sensor per hour; the
 * temperature follows the outdoor temperature and the occupancy; from {@code driftAtHour} on, every
 * third room (s % 3 == 0) is 2.5 °C warmer and reacts 1.8 times as strongly to occupancy.
 */
final class DriftingFleet {

    private final int sensors;
    private final long driftAtHour;
    private final SplittableRandom random;
    private final double[] base;
    private final double[] outdoorGain;
    private final double[] occupancyGain;
    private final double[] inertia;
    private final double[] temperature;
    private long hour;
    private int next;

    /** The last reading. */
    int sensor;
    long readingHour;
    double outdoor;
    double occupancy;
    double reading;

    DriftingFleet(int sensors, long driftAtHour, long seed) {
        this.sensors = sensors;
        this.driftAtHour = driftAtHour;
        this.random = new SplittableRandom(seed);
        this.base = new double[sensors];
        this.outdoorGain = new double[sensors];
        this.occupancyGain = new double[sensors];
        this.inertia = new double[sensors];
        this.temperature = new double[sensors];
        for (int s = 0; s < sensors; s++) {
            base[s] = 19 + 4 * random.nextDouble();
            outdoorGain[s] = 0.1 + 0.3 * random.nextDouble();
            occupancyGain[s] = 1 + 2 * random.nextDouble();
            inertia[s] = 0.6 + 0.3 * random.nextDouble();
            temperature[s] = base[s];
        }
    }

    static boolean drifts(int sensor) {
        return sensor % 3 == 0;
    }

    /** Advances to the next reading: sensors in turn, hour after hour. */
    void next() {
        int s = next;
        double out = 10 + 8 * Math.sin(2 * Math.PI * (hour - 9) / 24.0) + 0.5 * gaussian();
        long dayOfWeek = (hour / 24) % 7;
        long hourOfDay = hour % 24;
        double occ = dayOfWeek < 5 && hourOfDay >= 8 && hourOfDay < 18 ? 1.0 : 0.0;
        boolean drifted = hour >= driftAtHour && drifts(s);
        double setPoint = base[s] + (drifted ? 2.5 : 0) + outdoorGain[s] * (out - 10)
                + occupancyGain[s] * (drifted ? 1.8 : 1.0) * occ;
        temperature[s] = inertia[s] * temperature[s] + (1 - inertia[s]) * setPoint + 0.1 * gaussian();
        sensor = s;
        readingHour = hour;
        outdoor = out;
        occupancy = occ;
        reading = temperature[s];
        next++;
        if (next == sensors) {
            next = 0;
            hour++;
        }
    }

    private double gaussian() {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
