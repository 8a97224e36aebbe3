package io.streamgru.app.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop: the command closes what it runs and returns
 * its own exit code (0 after a clean stop). The JVM's default would start its shutdown at once
 * and exit with 143 or 130 whatever the shutdown hooks do, so an orchestrator would see a clean
 * stop as a failure. A second signal while stopping halts at once (exit 128 + signal number).
 * Where a JVM does not let these signals be handled, its default stays.
 */
final class StopSignals implements AutoCloseable {

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {
    }

    /** Calls {@code onStop} on the first SIGTERM or SIGINT, until closed. */
    static StopSignals install(Runnable onStop) {
        StopSignals installed = new StopSignals();
        boolean[] stopping = {false};
        SignalHandler handler = signal -> {
            synchronized (stopping) {
                if (stopping[0]) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                stopping[0] = true;
            }
            onStop.run();
        };
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal signal = new Signal(name);
                installed.previous.add(Signal.handle(signal, handler));
                installed.signals.add(signal);
            } catch (IllegalArgumentException e) {
                // Not available on this platform or JVM (e.g. -Xrs): the JVM's default handling stays.
            }
        }
        return installed;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
