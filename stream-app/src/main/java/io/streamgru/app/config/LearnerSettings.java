package io.streamgru.app.config;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.LearnerSetting;
import java.util.List;

/**
 * The {@code learner.*} settings and how they become a {@link LearnerConfig}: one path for the
 * config file, the environment and the CLI flags of every command. Every key, its type, bounds and
 * default come from {@link LearnerConfig#SETTINGS}; unset keys keep the learner's defaults.
 */
public final class LearnerSettings {

    /** Every key this class reads, without the {@code learner.} prefix. */
    public static final List<String> KEYS = LearnerConfig.SETTINGS.stream().map(LearnerSetting::key).toList();

    /** The prefix of every learner setting's key. */
    public static final String PREFIX = "learner.";

    private LearnerSettings() {
    }

    /** The learner configuration for {@code features} feature inputs. */
    public static LearnerConfig toConfig(Settings s, int features) {
        return toConfig(s, features, LearnerConfig.DefaultsOf.THIS_RELEASE);
    }

    /**
     * The learner configuration, settings left unset resolving as {@code defaults} did
     * ({@link LearnerConfig.Builder#defaultsOf}).
     */
    static LearnerConfig toConfig(Settings s, int features, LearnerConfig.DefaultsOf defaults) {
        LearnerConfig.Builder b = LearnerConfig.builder().features(features).defaultsOf(defaults);
        for (LearnerSetting<?> setting : LearnerConfig.SETTINGS) {
            String key = PREFIX + setting.key();
            if (s.has(key)) {
                apply(setting, s.string(key, ""), b, key, s.sourceOf(key));
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid learner settings: " + e.getMessage());
        }
    }

    private static <T> void apply(LearnerSetting<T> setting, String value, LearnerConfig.Builder b, String key,
                                  String source) {
        try {
            setting.applyTo(b, setting.parse(value));
        } catch (IllegalArgumentException e) {
            String why = e.getMessage() == null ? "is invalid" : e.getMessage();
            throw new ConfigException("setting '" + key + "' = '" + value + "' (from " + source + ")"
                    + (why.startsWith("must ") ? " " : ": ") + why);
        }
    }
}
