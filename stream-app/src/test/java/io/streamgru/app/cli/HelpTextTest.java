package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every {@code streamgru … --help}: exits 0, prints usage, keeps every line within the usage width,
 * and wraps only between words (each description reappears whole once the output's line breaks are
 * read as spaces).
 */
class HelpTextTest {

    @TestFactory
    List<DynamicTest> everyCommandsHelpWorksAndWrapsCleanly() {
        List<DynamicTest> tests = new ArrayList<>();
        walk(StreamGruCommand.newCommandLine(), new ArrayList<>(), (path, cmd) ->
                tests.add(DynamicTest.dynamicTest(String.join(" ", path) + " --help", () -> check(path, cmd))));
        assertThat(tests).as("streamgru and its subcommands").hasSizeGreaterThanOrEqualTo(10);
        return tests;
    }

    private interface Visitor {
        void visit(List<String> path, CommandLine cmd);
    }

    private static void walk(CommandLine cmd, List<String> path, Visitor visitor) {
        visitor.visit(path, cmd);
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) { // `help` is picocli's: `streamgru help CMD`, checked below
                List<String> next = new ArrayList<>(path);
                next.add(name);
                walk(sub, next, visitor);
            }
        });
    }

    private static void check(List<String> path, CommandLine cmd) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        CommandRun run = CommandRun.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: streamgru");
        int width = cmd.getUsageHelpWidth();
        for (String line : run.out().split("\\R")) {
            assertThat(line.length()).as("line over %d columns: '%s'", width, line).isLessThanOrEqualTo(width);
        }
        String flowing = normalised(run.out());
        CommandSpec spec = cmd.getCommandSpec();
        List<String> broken = new ArrayList<>();
        Consumer<String[]> wholeIn = description -> {
            String text = normalised(String.join(" ", description));
            if (!text.isEmpty() && !text.contains("${") && !flowing.contains(text)) {
                broken.add(text);
            }
        };
        wholeIn.accept(spec.usageMessage().description());
        for (OptionSpec option : spec.options()) {
            wholeIn.accept(option.description());
        }
        for (PositionalParamSpec parameter : spec.positionalParameters()) {
            wholeIn.accept(parameter.description());
        }
        assertThat(broken).as("descriptions wrapped inside a word (or cut) in:%n%s", run.out()).isEmpty();
        if (!path.isEmpty()) {
            List<String> help = new ArrayList<>(List.of("help"));
            help.add(path.get(0));
            assertThat(CommandRun.run(help.toArray(String[]::new)).exitCode()).isZero();
        }
    }

    private static String normalised(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
