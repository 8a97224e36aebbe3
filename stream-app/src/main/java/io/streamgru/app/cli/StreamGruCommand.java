package io.streamgru.app.cli;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.input.InputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code streamgru} command line: one subcommand per job. */
@Command(name = "streamgru", mixinStandardHelpOptions = true, version = "StreamGRU 0.1.0",
        description = "An online GRU learner for Kafka: forecasts that keep adapting.",
        subcommands = {EvaluateCommand.class, RunCommand.class, ReplayCommand.class, DemoCommand.class, ModelCommand.class,
                CommandLine.HelpCommand.class})
public final class StreamGruCommand implements Runnable {

    static final String VERBOSE = "--verbose";
    /** Commands with more options than this abbreviate their synopsis. */
    private static final int LONG_SYNOPSIS_OPTIONS = 12;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, print the stack trace too (not just the line that says what failed).")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The command line with StreamGRU's error handling: mistakes in the user's input or options
     * print one clear line and exit 2; an environment that cannot be used (broker, registry,
     * credentials, certificates) one line that says what to do, exit 1; anything else its type and
     * message, exit 1. The stack trace only with {@code --verbose}.
     */
    public static CommandLine newCommandLine() {
        CommandLine cmd = new CommandLine(new StreamGruCommand());
        // Help as wide as the terminal (80 columns when there is none), wrapped between words only; a
        // command with many options shows "[OPTIONS]" in its synopsis, as its option list follows.
        cmd.setHelpFactory(WordWrappingHelp::new);
        cmd.setUsageHelpAutoWidth(true);
        abbreviateLongSynopses(cmd);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean verbose = false;
            for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                verbose |= p.hasMatchedOption(VERBOSE);
            }
            int code;
            if (e instanceof InputException || e instanceof IllegalArgumentException) { // incl. ConfigException
                err.println("error: " + e.getMessage());
                code = 2;
            } else if (e instanceof EnvironmentException) {
                err.println("error: " + e.getMessage());
                code = 1;
            } else {
                err.println("error: " + e + (verbose ? "" : " (--verbose prints the stack trace)"));
                code = 1;
            }
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        return cmd;
    }

    /** More options than fit a few synopsis lines: the synopsis says {@code [OPTIONS]}. */
    private static void abbreviateLongSynopses(CommandLine cmd) {
        if (cmd.getCommandSpec().options().size() > LONG_SYNOPSIS_OPTIONS) {
            cmd.getCommandSpec().usageMessage().abbreviateSynopsis(true);
        }
        cmd.getSubcommands().values().forEach(StreamGruCommand::abbreviateLongSynopses);
    }
}
