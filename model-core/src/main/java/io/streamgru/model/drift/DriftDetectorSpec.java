package io.streamgru.model.drift;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which drift detector every series gets, as a setting ({@code learner.drift.detector}):
 *
 * <pre>
 * none                                   no detector
 * page-hinkley[:KEY=VALUE]...            {@link PageHinkley}; keys min-instances (30), delta (0.005),
 *                                        threshold (50), alpha (1), direction (up)
 * adwin[:KEY=VALUE]...                   {@link Adwin}; keys delta (0.002), clock (32), max-buckets (5),
 *                                        min-window-length (5), grace-period (10), direction (up)
 * </pre>
 *
 * e.g. {@code page-hinkley:delta=0.05:threshold=6} for a slow stream such as the demo's hourly
 * sensors. The defaults are River's except two, both measured in docs/drift.md: direction
 * {@code up} (on an error stream a fall is the model learning) and, for Page-Hinkley, alpha 1
 * (River's 1 − 1e-4 makes the test fire after a long fall of the error, with the same false-alarm
 * rate otherwise). Immutable; {@link #newDetector()} makes one detector per series.
 */
public final class DriftDetectorSpec {

    /** The forms {@link #parse} reads. */
    public static final String FORMS = "none, page-hinkley[:KEY=VALUE]..., adwin[:KEY=VALUE]...";

    /** Page-Hinkley's alpha here: 1, not River's 1 − 1e-4 (docs/drift.md, "What the measurements say", 4). */
    public static final double PAGE_HINKLEY_ALPHA = 1.0;

    /** What kind of detector. */
    public enum Kind {
        NONE, PAGE_HINKLEY, ADWIN
    }

    private final Kind kind;
    private final Map<String, String> parameters;
    private final String spec;

    private DriftDetectorSpec(Kind kind, Map<String, String> parameters, String spec) {
        this.kind = kind;
        this.parameters = parameters;
        this.spec = spec;
        newDetector(); // validates the parameters once, here
    }

    /** No detector. */
    public static DriftDetectorSpec none() {
        return parse("none");
    }

    /**
     * Reads a spec (case-insensitive).
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static DriftDetectorSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty drift detector; expected one of " + FORMS);
        }
        String canonical = spec.strip().toLowerCase(Locale.ROOT);
        String[] parts = canonical.split(":", -1);
        Kind kind = switch (parts[0].strip()) {
            case "none" -> Kind.NONE;
            case "page-hinkley" -> Kind.PAGE_HINKLEY;
            case "adwin" -> Kind.ADWIN;
            default -> throw new IllegalArgumentException("drift detector '" + spec + "': unknown '" + parts[0]
                    + "'; expected one of " + FORMS);
        };
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", -1);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException("drift detector '" + spec + "': expected KEY=VALUE, got '" + parts[i] + "'");
            }
            String key = kv[0].strip();
            if (!allowed(kind).contains(key)) {
                throw new IllegalArgumentException("drift detector '" + spec + "': " + kind.name().toLowerCase(Locale.ROOT)
                        .replace('_', '-') + " has no parameter '" + key + "'" + (kind == Kind.NONE ? ""
                        : "; it has " + String.join(", ", allowed(kind))));
            }
            parameters.put(key, kv[1].strip());
        }
        try {
            return new DriftDetectorSpec(kind, Map.copyOf(parameters), canonical);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("drift detector '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static List<String> allowed(Kind kind) {
        return switch (kind) {
            case NONE -> List.of();
            case PAGE_HINKLEY -> List.of("min-instances", "delta", "threshold", "alpha", "direction");
            case ADWIN -> List.of("delta", "clock", "max-buckets", "min-window-length", "grace-period",
                    "direction");
        };
    }

    /** A fresh detector as specified; null for {@link Kind#NONE}. */
    public DriftDetector newDetector() {
        return switch (kind) {
            case NONE -> null;
            case PAGE_HINKLEY -> new PageHinkley(integer("min-instances", PageHinkley.DEFAULT_MIN_INSTANCES),
                    decimal("delta", PageHinkley.DEFAULT_DELTA), decimal("threshold", PageHinkley.DEFAULT_THRESHOLD),
                    decimal("alpha", PAGE_HINKLEY_ALPHA), direction());
            case ADWIN -> new Adwin(decimal("delta", Adwin.DEFAULT_DELTA), integer("clock", Adwin.DEFAULT_CLOCK),
                    integer("max-buckets", Adwin.DEFAULT_MAX_BUCKETS),
                    integer("min-window-length", Adwin.DEFAULT_MIN_WINDOW_LENGTH),
                    integer("grace-period", Adwin.DEFAULT_GRACE_PERIOD), direction());
        };
    }

    public Kind kind() {
        return kind;
    }

    /** Whether a detector is configured. */
    public boolean enabled() {
        return kind != Kind.NONE;
    }

    /** The spec as read (lower case, stripped). */
    public String spec() {
        return spec;
    }

    private double decimal(String key, double fallback) {
        String v = parameters.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a number");
        }
    }

    private int integer(String key, int fallback) {
        String v = parameters.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a whole number");
        }
    }

    private DriftDirection direction() {
        String v = parameters.get("direction");
        return v == null ? DriftDirection.UP : DriftDirection.named(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriftDetectorSpec other && other.kind == kind && other.parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + parameters.hashCode();
    }

    @Override
    public String toString() {
        return "DriftDetectorSpec[" + spec + "]";
    }
}
