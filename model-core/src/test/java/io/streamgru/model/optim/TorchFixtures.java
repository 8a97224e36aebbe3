package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code fixtures/optimizers.txt}, the PyTorch reference numbers written by
 * {@code src/test/python/make_optimizer_fixtures.py} (format described there).
 */
final class TorchFixtures {

    /** Agreement demanded with torch: absolute for values below 1, relative above. */
    static final double TOLERANCE = 1e-12;

    private static final String RESOURCE = "/fixtures/optimizers.txt";
    private static final List<Case> CASES = load();

    private TorchFixtures() {
    }

    /** One line: a key and its space-separated tokens. */
    record Line(String key, String[] tokens) {

        double number(int index) {
            return parse(tokens[index]);
        }

        double[] numbers(int from) {
            double[] values = new double[tokens.length - from];
            for (int i = 0; i < values.length; i++) {
                values[i] = parse(tokens[from + i]);
            }
            return values;
        }

        double[] numbers() {
            return numbers(0);
        }

        private static double parse(String token) {
            switch (token) {
                case "nan":
                    return Double.NaN;
                case "inf":
                    return Double.POSITIVE_INFINITY;
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return Double.parseDouble(token);
            }
        }
    }

    /** One {@code case NAME ... end} block, its lines in file order. */
    record Case(String name, List<Line> lines) {

        Line first(String key) {
            return lines.stream().filter(l -> l.key.equals(key)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has no '" + key + "' line"));
        }

        List<Line> all(String key) {
            return lines.stream().filter(l -> l.key.equals(key)).toList();
        }

        String text(String key) {
            return String.join(" ", first(key).tokens);
        }

        /** Builds the optimizer the {@code optimizer KIND key=value...} line describes. */
        Optimizer optimizer(int size) {
            Line line = first("optimizer");
            Map<String, String> hp = new HashMap<>();
            for (String token : Arrays.copyOfRange(line.tokens, 1, line.tokens.length)) {
                String[] kv = token.split("=", 2);
                hp.put(kv[0], kv[1]);
            }
            switch (line.tokens[0]) {
                case "sgd":
                    return new Sgd(size, d(hp, "momentum"), d(hp, "dampening"), b(hp, "nesterov"),
                            d(hp, "weight_decay"));
                case "adam":
                    return new Adam(size, d(hp, "beta1"), d(hp, "beta2"), d(hp, "eps"), d(hp, "weight_decay"));
                case "adamw":
                    return new AdamW(size, d(hp, "beta1"), d(hp, "beta2"), d(hp, "eps"), d(hp, "weight_decay"));
                case "rmsprop":
                    return new RmsProp(size, d(hp, "alpha"), d(hp, "eps"), d(hp, "momentum"), b(hp, "centered"),
                            d(hp, "weight_decay"));
                default:
                    throw new AssertionError("unknown optimizer " + line.tokens[0]);
            }
        }

        LearningRateSchedule schedule() {
            return ScheduleSpec.parse(text("schedule"), first("base_lr").number(0));
        }

        @Override
        public String toString() {
            return name;
        }

        private static double d(Map<String, String> hp, String key) {
            String value = hp.get(key);
            if (value == null) {
                throw new AssertionError("missing hyperparameter " + key);
            }
            return Double.parseDouble(value);
        }

        private static boolean b(Map<String, String> hp, String key) {
            return Boolean.parseBoolean(hp.get(key));
        }
    }

    /** Cases whose name starts with {@code prefix}; fails if there are none, so no test passes vacuously. */
    static Stream<Case> cases(String prefix) {
        List<Case> matching = CASES.stream().filter(c -> c.name.startsWith(prefix)).toList();
        assertThat(matching).as("fixture cases named " + prefix + "*").isNotEmpty();
        return matching.stream();
    }

    /** Optimizer trajectory cases: all but clipping and accumulation windows. */
    static Stream<Case> trajectories() {
        List<Case> matching = CASES.stream()
                .filter(c -> !c.name.startsWith("clip_") && !c.name.startsWith("window_")).toList();
        assertThat(matching).as("trajectory cases").hasSizeGreaterThanOrEqualTo(10);
        return matching.stream();
    }

    static void assertAgrees(double actual, double expected, String what) {
        if (!(Math.abs(actual - expected) <= TOLERANCE * Math.max(1.0, Math.abs(expected)))) {
            fail(what + ": expected " + expected + " (torch) but was " + actual + ", off by "
                    + Math.abs(actual - expected));
        }
    }

    static void assertAgrees(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertAgrees(actual[i], expected[i], what + "[" + i + "]");
        }
    }

    private static List<Case> load() {
        try (InputStream in = TorchFixtures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Case> cases = new ArrayList<>();
            String name = null;
            List<Line> lines = null;
            for (String raw = reader.readLine(); raw != null; raw = reader.readLine()) {
                String text = raw.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String[] parts = text.split(" ");
                String key = parts[0];
                String[] tokens = Arrays.copyOfRange(parts, 1, parts.length);
                if (key.equals("case")) {
                    name = tokens[0];
                    lines = new ArrayList<>();
                } else if (key.equals("end")) {
                    cases.add(new Case(name, List.copyOf(lines)));
                    name = null;
                    lines = null;
                } else if (lines == null) {
                    throw new IllegalStateException(RESOURCE + ": line outside a case: " + text);
                } else {
                    lines.add(new Line(key, tokens));
                }
            }
            return List.copyOf(cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
