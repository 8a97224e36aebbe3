package io.streamgru.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Schema Registry's compatibility rules, checked with Avro's own reader/writer resolution rules
 * ({@link SchemaCompatibility}). BACKWARD: consumers on the new schema read data written with the
 * previous one. FORWARD: consumers on the previous schema read data written with the new one.
 * FULL: both. The {@code _TRANSITIVE} forms check every earlier version, not just the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level named {@code name} (any case). */
    public static CompatibilityLevel parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compatibility level '" + name + "'; one of "
                    + List.of(values()), e);
        }
    }

    /**
     * Why {@code candidate} may not follow {@code previous} (oldest first) under this rule, or
     * empty when it may.
     */
    public Optional<String> violation(Schema candidate, List<Schema> previous) {
        if (previous.isEmpty() || this == NONE) {
            return Optional.empty();
        }
        List<Schema> checked = transitive ? previous : List.of(previous.get(previous.size() - 1));
        for (Schema old : checked) {
            if (backward) {
                Optional<String> problem = problem(candidate, old, "the new schema cannot read data written with an earlier one");
                if (problem.isPresent()) {
                    return problem;
                }
            }
            if (forward) {
                Optional<String> problem = problem(old, candidate, "an earlier schema cannot read data written with the new one");
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> problem(Schema reader, Schema writer, String what) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        StringBuilder detail = new StringBuilder(name()).append(": ").append(what);
        for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            detail.append("; ").append(incompatibility.getType()).append(" at ")
                    .append(incompatibility.getLocation()).append(": ").append(incompatibility.getMessage());
        }
        return Optional.of(detail.toString());
    }
}
