package io.streamgru.app.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the demo's view goes. On a terminal it redraws one block in place (ANSI: cursor up to the
 * block's first line, clear to the end of the screen, print the block), its status split into
 * short lines so that none wraps, which would break the count of lines to go back up. Elsewhere
 * (a pipe, a file, a log collector) it appends one plain status line per refresh, the format
 * scripts read.
 */
public final class StatusDisplay {

    /** Lines are kept this short on a terminal: the narrowest common width, minus one. */
    static final int WIDTH = 79;

    private static final String CLEAR_TO_END_OF_SCREEN = "\u001b[J";
    private static final String CONTINUATION = "          ";

    private final PrintWriter out;
    private final boolean terminal;
    private int linesShown;

    private StatusDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Redraws in place: for a terminal. */
    public static StatusDisplay terminal(PrintWriter out) {
        return new StatusDisplay(out, true);
    }

    /** Appends one status line per refresh: for a pipe or a file. */
    public static StatusDisplay plain(PrintWriter out) {
        return new StatusDisplay(out, false);
    }

    /** {@link #terminal} when this JVM's standard output is a terminal, else {@link #plain}. */
    public static StatusDisplay forStandardOutput(PrintWriter out) {
        return isTerminal() ? terminal(out) : plain(out);
    }

    /** Whether it redraws in place. */
    public boolean redraws() {
        return terminal;
    }

    /** Shows one refresh of {@code view}. */
    public void show(LiveView view) {
        if (!terminal) {
            out.println(view.statusLine());
            out.flush();
            return;
        }
        List<String> lines = new ArrayList<>();
        List<String> parts = view.statusParts();
        lines.addAll(fit(parts.get(0)));
        for (String part : parts.subList(1, parts.size())) {
            lines.addAll(fit("        " + part));
        }
        lines.addAll(view.sensorLines().stream().map(line -> "  " + line).toList());
        StringBuilder block = new StringBuilder();
        if (linesShown > 0) {
            block.append("\u001b[").append(linesShown).append('A').append('\r');
        }
        block.append(CLEAR_TO_END_OF_SCREEN);
        for (String line : lines) {
            block.append(line).append(System.lineSeparator());
        }
        out.print(block);
        out.flush();
        linesShown = lines.size();
    }

    /** The line, broken after commas into lines of at most {@link #WIDTH} characters where it can be. */
    static List<String> fit(String line) {
        List<String> lines = new ArrayList<>();
        String rest = line;
        while (rest.length() > WIDTH) {
            int cut = rest.lastIndexOf(", ", WIDTH - 1);
            if (cut <= CONTINUATION.length()) {
                break;
            }
            lines.add(rest.substring(0, cut + 1));
            rest = CONTINUATION + rest.substring(cut + 2);
        }
        lines.add(rest);
        return lines;
    }

    /**
     * System.console() is null when stdin or stdout is not a terminal (JDK 17-21); from JDK 22 it
     * may exist anyway, and {@code Console.isTerminal()} tells.
     */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }
}
