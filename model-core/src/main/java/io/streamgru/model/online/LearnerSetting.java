package io.streamgru.model.online;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The declaration of one learner setting: its name, type and bounds, default, help text, whether it
 * changes what the model's numbers mean (the config hash), and how it reaches and is read back from
 * a {@link LearnerConfig}. {@link LearnerConfig#SETTINGS} holds them all; the settings file and
 * environment keys ({@code learner.KEY}), the command-line flags ({@code --KEY} with dots as dashes),
 * validation, the config hash and the documentation's settings table are all derived from it.
 *
 * @param <T> the value's type as the configuration holds it
 */
public final class LearnerSetting<T> {

    /** Whether a setting enters the config hash, which identifies what a model's numbers mean. */
    public enum Hash {
        /** A training setting: it may change between runs of the same model. */
        NEVER,
        /** Part of every hash, in table order: the settings the first release hashed. Never add one. */
        ALWAYS,
        /**
         * Part of the hash only when not at its default (or, for a derived default, at the value
         * declared with {@link #inHashUnless}: the one that means what releases before the setting
         * did), so that adding such a setting leaves every existing deployment's hash, and so its
         * model, as it was. Every new meaning-changing setting is this.
         */
        WHEN_NOT_DEFAULT
    }

    private final String key;
    private final Type<T> type;
    private final T defaultValue;
    private final String defaultText;
    private final String label;
    private final String help;
    private final Hash hash;
    /** The value that keeps a {@link Hash#WHEN_NOT_DEFAULT} setting out of the hash. */
    private final T hashNeutral;
    private final BiConsumer<LearnerConfig.Builder, T> apply;
    private final Function<LearnerConfig, T> read;

    private LearnerSetting(String key, Type<T> type, T defaultValue, String defaultText, String label, String help,
                           Hash hash, T hashNeutral, BiConsumer<LearnerConfig.Builder, T> apply,
                           Function<LearnerConfig, T> read) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.label = label;
        this.help = help;
        this.hash = hash;
        this.hashNeutral = hashNeutral;
        this.apply = apply;
        this.read = read;
    }

    /**
     * A setting named {@code key} (without {@code learner.}; dots separate words), of {@code type}, that
     * {@code apply} sets on a builder and {@code read} reads from a configuration. Not hashed, no
     * default applied, until {@link #defaultValue}/{@link #hash} say otherwise.
     */
    public static <T> LearnerSetting<T> of(String key, Type<T> type, BiConsumer<LearnerConfig.Builder, T> apply,
                                           Function<LearnerConfig, T> read) {
        if (!key.matches("[a-z]+(\\.[a-z]+)*")) {
            throw new IllegalArgumentException("setting names are lower-case words separated by dots: '" + key + "'");
        }
        return new LearnerSetting<>(key, type, null, null, type.label(), "", Hash.NEVER, null, apply, read);
    }

    /** The default every builder starts from. */
    public LearnerSetting<T> defaultValue(T value) {
        return new LearnerSetting<>(key, type, Objects.requireNonNull(value), type.format(value), label, help, hash,
                hashNeutral, apply, read);
    }

    /** No fixed default: the builder derives it from other settings, as {@code text} tells the user. */
    public LearnerSetting<T> derivedDefault(String text) {
        return new LearnerSetting<>(key, type, null, text, label, help, hash, hashNeutral, apply, read);
    }

    /** What the flag's value stands for in help, e.g. {@code N} or {@code SPEC}. */
    public LearnerSetting<T> label(String paramLabel) {
        return new LearnerSetting<>(key, type, defaultValue, defaultText, paramLabel, help, hash, hashNeutral, apply,
                read);
    }

    /** One or two sentences for the user, without the default (that is appended from the declaration). */
    public LearnerSetting<T> help(String text) {
        return new LearnerSetting<>(key, type, defaultValue, defaultText, label, text, hash, hashNeutral, apply, read);
    }

    public LearnerSetting<T> hash(Hash membership) {
        if (membership == Hash.WHEN_NOT_DEFAULT && defaultValue == null) {
            throw new IllegalArgumentException(key + ": only a setting with a fixed default can be hashed when not at it");
        }
        return new LearnerSetting<>(key, type, defaultValue, defaultText, label, help, membership, defaultValue,
                apply, read);
    }

    /**
     * In the hash ({@link Hash#WHEN_NOT_DEFAULT}) unless at {@code value}: for a setting whose
     * default is derived, the value that means what releases before the setting did (e.g. 0 = no
     * linear path), so their deployments keep their hashes.
     */
    public LearnerSetting<T> inHashUnless(T value) {
        return new LearnerSetting<>(key, type, defaultValue, defaultText, label, help, Hash.WHEN_NOT_DEFAULT,
                Objects.requireNonNull(value), apply, read);
    }

    /** The name without the {@code learner.} prefix, e.g. {@code head.hidden}. */
    public String key() {
        return key;
    }

    /** The command-line flag: {@code --head-hidden} for {@code head.hidden}. */
    public String flag() {
        return "--" + key.replace('.', '-');
    }

    /** The name in the config hash's canonical text: {@code headHidden} for {@code head.hidden}. */
    public String hashName() {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '.') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    public Type<T> type() {
        return type;
    }

    /** The fixed default, or {@code null} when the builder derives it. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the user reads it in help and docs. */
    public String defaultText() {
        return defaultText;
    }

    public String label() {
        return label;
    }

    public String help() {
        return help;
    }

    public Hash hashMembership() {
        return hash;
    }

    /** The value as written in a settings file or on the command line, parsed and checked. */
    public T parse(String text) {
        return type.check(type.parse(text.trim()));
    }

    /** Sets {@code value} on {@code builder}. */
    public void applyTo(LearnerConfig.Builder builder, T value) {
        apply.accept(builder, value);
    }

    /** Sets the fixed default, if there is one, on {@code builder}. */
    void applyDefault(LearnerConfig.Builder builder) {
        if (defaultValue != null) {
            apply.accept(builder, defaultValue);
        }
    }

    /** This setting's value in {@code config}. */
    public T valueIn(LearnerConfig config) {
        return read.apply(config);
    }

    /** Whether {@code config} holds this setting at its fixed default. */
    public boolean isDefaultIn(LearnerConfig config) {
        return Objects.equals(defaultValue, valueIn(config));
    }

    /** Whether {@code config}'s value keeps this setting out of the config hash (see {@link Hash}). */
    public boolean isHashNeutralIn(LearnerConfig config) {
        return hash != Hash.ALWAYS && (hash == Hash.NEVER || Objects.equals(hashNeutral, valueIn(config)));
    }

    /** Throws if {@code config}'s value is outside this setting's bounds, naming the setting. */
    void checkIn(LearnerConfig config) {
        try {
            type.check(valueIn(config));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + e.getMessage());
        }
    }

    /** {@code name=value} for the config hash's canonical text. */
    public String hashText(LearnerConfig config) {
        return hashName() + "=" + valueIn(config);
    }

    @Override
    public String toString() {
        return "learner." + key;
    }

    /**
     * A setting's value type: how text becomes a value, what values are allowed, and how a value is
     * written back. Parse and check errors are {@link IllegalArgumentException}s whose message
     * completes "the setting ... ", e.g. "must be an integer".
     *
     * @param <T> the value's type
     */
    public interface Type<T> {

        T parse(String text);

        /** {@code value} if allowed, else an exception saying what is. */
        T check(T value);

        /** The value as a user writes it. */
        default String format(T value) {
            return String.valueOf(value);
        }

        /** The help's placeholder for a value, e.g. {@code N}. */
        String label();

        /** What values are allowed, for the documentation, e.g. "integer ≥ 1". */
        String describe();

        /** True for on/off settings: a flag pair {@code --KEY} / {@code --no-KEY}, no value. */
        default boolean isSwitch() {
            return false;
        }

        /** An integer in [{@code min}, {@code max}]. */
        static Type<Integer> integer(int min, int max) {
            return new NumberType<>(Integer::parseInt, "an integer", v -> {
                if (v < min) {
                    throw new IllegalArgumentException("must be >= " + min + ", got " + v);
                }
                if (v > max) {
                    throw new IllegalArgumentException("must be <= " + max + ", got " + v);
                }
                return v;
            }, "N", max == Integer.MAX_VALUE ? "integer ≥ " + min : "integer " + min + "–" + max);
        }

        /** A number strictly between 0 and 1: a probability that is neither impossible nor certain. */
        static Type<Double> fraction() {
            return new NumberType<>(Double::parseDouble, "a number", v -> {
                if (!(v > 0 && v < 1)) {
                    throw new IllegalArgumentException("must be > 0 and < 1, got " + v);
                }
                return v;
            }, "P", "number > 0 and < 1");
        }

        /** Any 64-bit integer. */
        static Type<Long> longInteger() {
            return new NumberType<>(Long::parseLong, "an integer", v -> v, "N", "integer");
        }

        /**
         * A finite number greater than {@code min} (when {@code exclusive}) or at least {@code min};
         * {@code Double.NEGATIVE_INFINITY} for no lower bound.
         */
        static Type<Double> decimal(double min, boolean exclusive) {
            String bound = min == Math.rint(min) ? String.valueOf((long) min) : String.valueOf(min);
            return new NumberType<>(Double::parseDouble, "a number", v -> {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("must be finite, got " + v);
                }
                if (exclusive ? !(v > min) : !(v >= min)) {
                    throw new IllegalArgumentException("must be " + (exclusive ? "> " : ">= ") + min + ", got " + v);
                }
                return v;
            }, "X", min == Double.NEGATIVE_INFINITY ? "number" : "number " + (exclusive ? "> " : "≥ ") + bound);
        }

        /** On or off: true/false, yes/no, on/off, 1/0. */
        static Type<Boolean> onOff() {
            return new Type<>() {
                public Boolean parse(String text) {
                    return switch (text.toLowerCase(Locale.ROOT)) {
                        case "true", "yes", "on", "1" -> true;
                        case "false", "no", "off", "0" -> false;
                        default -> throw new IllegalArgumentException("must be true or false");
                    };
                }

                public Boolean check(Boolean v) {
                    return v;
                }

                public String label() {
                    return "";
                }

                public String describe() {
                    return "true or false";
                }

                public boolean isSwitch() {
                    return true;
                }
            };
        }

        /** One of {@code words} (case-insensitive; the value is lower-case). */
        static Type<String> oneOf(String... words) {
            List<String> allowed = List.of(words);
            return new Type<>() {
                public String parse(String text) {
                    return text.toLowerCase(Locale.ROOT);
                }

                public String check(String v) {
                    if (!allowed.contains(v)) {
                        throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
                    }
                    return v;
                }

                public String label() {
                    return String.join("|", allowed);
                }

                public String describe() {
                    return String.join(", ", Arrays.stream(words).map(w -> "`" + w + "`").toList());
                }
            };
        }

        /**
         * A value written in a small language of its own ({@code step:100:0.5}, {@code page-hinkley:delta=0.1}),
         * checked by {@code parser}, whose exception message says what is wrong.
         */
        static Type<String> spec(String label, String description, Function<String, ?> parser) {
            return mapped(label, description, s -> {
                parser.apply(s);
                return s;
            }, s -> s);
        }

        /** A value named by a word or spec and held as {@code T} (e.g. an enum), written back by {@code writer}. */
        static <T> Type<T> mapped(String label, String description, Function<String, T> parser,
                                  Function<T, String> writer) {
            return new Type<>() {
                public T parse(String text) {
                    return parser.apply(text);
                }

                public T check(T v) {
                    return parser.apply(writer.apply(v));
                }

                public String format(T value) {
                    return writer.apply(value);
                }

                public String label() {
                    return label;
                }

                public String describe() {
                    return description;
                }
            };
        }
    }

    /**
     * A number type: text read by {@code parser} (a {@link NumberFormatException} says it must be
     * {@code what}), then allowed by {@code checker}.
     */
    private record NumberType<T>(Function<String, T> parser, String what, UnaryOperator<T> checker, String label,
                                 String describe) implements Type<T> {

        public T parse(String text) {
            try {
                return parser.apply(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be " + what);
            }
        }

        public T check(T value) {
            return checker.apply(value);
        }
    }
}
