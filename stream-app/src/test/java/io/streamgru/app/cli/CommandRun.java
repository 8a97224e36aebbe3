package io.streamgru.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One {@code streamgru} command line run in this JVM, as a user would type it: its exit code and what it printed. */
record CommandRun(int exitCode, String out, String err) {

    /** Runs {@code streamgru args…} and captures standard output and standard error. */
    static CommandRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = StreamGruCommand.newCommandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }
}
