package io.streamgru.app.cli;

import io.streamgru.app.evaluate.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code streamgru} command line: one subcommand per job. */
@Command(name = "streamgru", mixinStandardHelpOptions = true, version = "StreamGRU 0.1.0",
        description = "An online GRU learner for Kafka: forecasts that keep adapting.",
        subcommands = {EvaluateCommand.class, RunCommand.class, ReplayCommand.class, DemoCommand.class, ModelCommand.class,
                CommandLine.HelpCommand.class})
public final class StreamGruCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The command line with StreamGRU's error handling: mistakes in the user's input or options
     * print one clear line and exit 2; only unexpected failures print a stack trace.
     */
    public static CommandLine newCommandLine() {
        CommandLine cmd = new CommandLine(new StreamGruCommand());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InputException || e instanceof IllegalArgumentException) { // incl. ConfigException
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cmd;
    }
}
