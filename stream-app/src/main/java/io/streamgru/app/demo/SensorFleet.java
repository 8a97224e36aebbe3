package io.streamgru.app.demo;

import java.util.SplittableRandom;

/**
 * A simulated fleet of room sensors for the demo, one reading per sensor per simulated hour:
 * the temperature follows the outdoor temperature (daily cycle) and the room's occupancy (weekday
 * working hours) with sensor-specific gains and lags, plus noise. Part-way through, a third of the
 * rooms drift (a heater is replaced: warmer, and reacting more strongly to occupancy), so the
 * learner has something to adapt to. Deterministic for a seed.
 */
public final class SensorFleet {

    /** One reading: which sensor, the simulated hour, features and target. */
    public record Reading(String sensor, long hour, double outdoor, double occupancy, double temperature) {
    }

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

    public SensorFleet(int sensors, long driftAtHour, long seed) {
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

    public int sensors() {
        return sensors;
    }

    public static String sensorName(int s) {
        return String.format("room-%03d", s);
    }

    /** The next reading: sensors in turn, hour after hour. */
    public Reading next() {
        int s = next;
        double outdoor = 10 + 8 * Math.sin(2 * Math.PI * (hour - 9) / 24.0) + 0.5 * gaussian();
        long dayOfWeek = (hour / 24) % 7;
        long hourOfDay = hour % 24;
        double occupancy = dayOfWeek < 5 && hourOfDay >= 8 && hourOfDay < 18 ? 1.0 : 0.0;
        boolean drifted = hour >= driftAtHour && s % 3 == 0;
        double setPoint = base[s] + (drifted ? 2.5 : 0) + outdoorGain[s] * (outdoor - 10)
                + occupancyGain[s] * (drifted ? 1.8 : 1.0) * occupancy;
        temperature[s] = inertia[s] * temperature[s] + (1 - inertia[s]) * setPoint + 0.1 * gaussian();
        Reading r = new Reading(sensorName(s), hour, outdoor, occupancy, temperature[s]);
        next++;
        if (next == sensors) {
            next = 0;
            hour++;
        }
        return r;
    }

    private double gaussian() {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
