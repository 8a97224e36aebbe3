package io.streamgru.model.optim;

/**
 * Parses the learning-rate schedule given on the command line.
 *
 * <pre>
 * constant                  the base rate throughout              {@link ConstantRate}
 * step:SIZE:GAMMA           times GAMMA every SIZE steps          {@link StepDecay}
 * exp:GAMMA                 times GAMMA every step                {@link ExponentialDecay}
 * inverse:RATE:STEPS[:MIN]  base / (1 + RATE * step / STEPS),     {@link InverseTimeDecay}
 *                           never below MIN (default 0)
 * cosine:TOTAL[:MIN]        cosine down to MIN (default 0)        {@link CosineAnnealing}
 * warmup:N,ANY_OF_THE_ABOVE linear ramp over N steps first        {@link LinearWarmup}
 * </pre>
 *
 * <p>Examples: {@code warmup:100,cosine:10000:1e-5}; {@code inverse:1:500:1e-3}, which halves the
 * base rate after 500 steps, keeps falling like 1/step and stops at 1e-3, so that a stream that
 * never ends keeps adapting (without MIN the rate tends to zero). MIN is an absolute rate, not a
 * fraction of the base rate; a MIN at or above the base rate holds the rate at the base rate.
 * Every error names the offending part.
 */
public final class ScheduleSpec {

    static final String FORMS = "constant, step:SIZE:GAMMA, exp:GAMMA, inverse:RATE:STEPS[:MIN], cosine:TOTAL[:MIN],"
            + " each optionally prefixed by warmup:N,";

    private ScheduleSpec() {
    }

    /**
     * @param spec the schedule text, e.g. {@code "warmup:100,cosine:10000"}
     * @param baseRate the peak/initial learning rate the schedule scales
     * @throws IllegalArgumentException naming the bad part of {@code spec}
     */
    public static LearningRateSchedule parse(String spec, double baseRate) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty learning-rate schedule; expected one of " + FORMS);
        }
        if (!(baseRate >= 0) || Double.isInfinite(baseRate)) {
            throw new IllegalArgumentException("base learning rate must be finite and >= 0, got " + baseRate);
        }
        String text = spec.strip();
        int comma = text.indexOf(',');
        if (comma < 0) {
            return parseBase(spec, text, baseRate);
        }
        String prefix = text.substring(0, comma).strip();
        String rest = text.substring(comma + 1).strip();
        String[] warmup = prefix.split(":", -1);
        if (!warmup[0].strip().equals("warmup")) {
            throw bad(spec, "'" + prefix + "' before ',' must be warmup:N");
        }
        if (warmup.length != 2) {
            throw bad(spec, "'" + prefix + "' must be warmup:N");
        }
        long steps = count(spec, "warmup steps", warmup[1]);
        if (rest.isEmpty()) {
            throw bad(spec, "nothing follows '" + prefix + ",'; expected a schedule such as cosine:TOTAL");
        }
        if (rest.indexOf(',') >= 0 || rest.startsWith("warmup")) {
            throw bad(spec, "'" + rest + "' has more than one warmup or ','; warmup:N, may only prefix one schedule");
        }
        return new LinearWarmup(steps, parseBase(spec, rest, baseRate));
    }

    private static LearningRateSchedule parseBase(String spec, String part, double baseRate) {
        String[] t = part.split(":", -1);
        String kind = t[0].strip();
        switch (kind) {
            case "constant":
                arity(spec, part, t, 0, 0, "constant");
                return new ConstantRate(baseRate);
            case "step":
                arity(spec, part, t, 2, 2, "step:SIZE:GAMMA");
                return new StepDecay(baseRate, count(spec, "step SIZE", t[1]), positive(spec, "step GAMMA", t[2]));
            case "exp":
                arity(spec, part, t, 1, 1, "exp:GAMMA");
                return new ExponentialDecay(baseRate, positive(spec, "exp GAMMA", t[1]));
            case "inverse":
                arity(spec, part, t, 2, 3, "inverse:RATE:STEPS[:MIN]");
                double decayRate = nonNegative(spec, "inverse RATE", t[1]);
                long decaySteps = count(spec, "inverse STEPS", t[2]);
                double floor = t.length > 3 ? nonNegative(spec, "inverse MIN", t[3]) : 0.0;
                return new InverseTimeDecay(baseRate, decayRate, decaySteps, floor);
            case "cosine":
                arity(spec, part, t, 1, 2, "cosine:TOTAL[:MIN]");
                double min = t.length > 2 ? nonNegative(spec, "cosine MIN", t[2]) : 0.0;
                return new CosineAnnealing(baseRate, count(spec, "cosine TOTAL", t[1]), min);
            case "warmup":
                throw bad(spec, "'" + part + "' must be followed by ',' and a schedule, e.g. warmup:100,constant");
            default:
                throw bad(spec, "unknown schedule '" + kind + "'; expected one of " + FORMS);
        }
    }

    private static void arity(String spec, String part, String[] tokens, int min, int max, String form) {
        int args = tokens.length - 1;
        if (args < min || args > max) {
            throw bad(spec, "'" + part + "' must have the form " + form);
        }
    }

    private static long count(String spec, String what, String token) {
        long value;
        try {
            value = Long.parseLong(token.strip());
        } catch (NumberFormatException e) {
            throw bad(spec, what + " '" + token + "' is not an integer");
        }
        if (value < 1) {
            throw bad(spec, what + " '" + token + "' must be >= 1");
        }
        return value;
    }

    private static double positive(String spec, String what, String token) {
        double value = number(spec, what, token);
        if (!(value > 0)) {
            throw bad(spec, what + " '" + token + "' must be > 0");
        }
        return value;
    }

    private static double nonNegative(String spec, String what, String token) {
        double value = number(spec, what, token);
        if (!(value >= 0)) {
            throw bad(spec, what + " '" + token + "' must be >= 0");
        }
        return value;
    }

    private static double number(String spec, String what, String token) {
        double value;
        try {
            value = Double.parseDouble(token.strip());
        } catch (NumberFormatException e) {
            throw bad(spec, what + " '" + token + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw bad(spec, what + " '" + token + "' must be finite");
        }
        return value;
    }

    private static IllegalArgumentException bad(String spec, String problem) {
        return new IllegalArgumentException("bad learning-rate schedule '" + spec + "': " + problem);
    }
}
