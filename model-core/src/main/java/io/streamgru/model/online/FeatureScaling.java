package io.streamgru.model.online;

import java.util.Locale;

/**
 * Whose statistics z-score the features. {@link #SHARED}: one set for all keys (the model's, merged
 * by the training step), 0 bytes a key. {@link #PER_KEY}: each key's own, in its state (24 bytes a
 * feature a key), for fleets whose keys measure their features in different units. The target is
 * always scaled per key.
 */
public enum FeatureScaling {
    SHARED, PER_KEY;

    /** The scaling for a config/CLI name: {@code shared} or {@code per-key}. */
    public static FeatureScaling named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "shared" -> SHARED;
            case "per-key" -> PER_KEY;
            default -> throw new IllegalArgumentException("unknown feature scaling '" + name
                    + "': expected shared or per-key");
        };
    }

    /** The config/CLI name. */
    public String spec() {
        return this == SHARED ? "shared" : "per-key";
    }

    /** The config/CLI name: the config hash's text of this setting (so it stays {@code per-key}). */
    @Override
    public String toString() {
        return spec();
    }
}
