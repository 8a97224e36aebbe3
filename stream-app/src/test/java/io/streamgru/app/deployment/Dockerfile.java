package io.streamgru.app.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read as its instructions (continuation lines joined, comments dropped), grouped
 * into build stages: enough to check what it copies and how its last stage runs.
 */
record Dockerfile(List<Stage> stages) {

    /** One instruction: its keyword (upper case) and its arguments as written. */
    record Instruction(String keyword, String arguments) {

        /** The arguments split at spaces, without {@code --flag=value} options. */
        List<String> words() {
            return Arrays.stream(arguments.trim().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
        }

        boolean hasFlag(String prefix) {
            return Arrays.stream(arguments.trim().split("\\s+")).anyMatch(w -> w.startsWith(prefix));
        }
    }

    /** A {@code FROM} and the instructions up to the next one. */
    record Stage(String from, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** What {@code COPY} takes from the build context (copies from other stages left out). */
        List<String> copiedFromContext() {
            List<String> sources = new ArrayList<>();
            for (Instruction copy : all("COPY")) {
                if (!copy.hasFlag("--from")) {
                    List<String> words = copy.words();
                    sources.addAll(words.subList(0, words.size() - 1));
                }
            }
            return sources;
        }
    }

    static Dockerfile read(Path file) throws IOException {
        List<Stage> stages = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && logical.length() == 0) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String text = logical.toString().trim();
            logical.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            Instruction i = new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1));
            if (i.keyword().equals("FROM")) {
                stages.add(new Stage(i.arguments(), new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(i);
            }
        }
        return new Dockerfile(stages);
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }
}
