package io.streamgru.app.demo;

import java.net.URI;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Sends every log line of this JVM (Kafka's broker, clients and Streams, the registry,
 * StreamGRU's own) to one file while the demo runs, so the console shows only the demo's view;
 * {@link #close()} brings back the configuration that was active before. Log4j 2 is the SLF4J
 * backend on the class path (stream-app's pom), so this configures Log4j directly.
 *
 * <p>Levels in the file: INFO for everything (the file is for finding out what happened, and
 * Kafka's INFO lines, such as the broker's start and stop, say that), except the clients'
 * reconnect chatter, kept at WARN.
 */
public final class DemoLogFile implements AutoCloseable {

    private final Path file;
    private final URI previous;

    private DemoLogFile(Path file, URI previous) {
        this.file = file;
        this.previous = previous;
    }

    /** From now on, every log line goes to {@code file} (appended) and none to the console. */
    public static DemoLogFile redirectTo(Path file) {
        LoggerContext context = LoggerContext.getContext(false);
        URI previous = context.getConfigLocation();
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("streamgru-demo");
        b.setStatusLevel(Level.ERROR);
        b.add(b.newAppender("file", "File")
                .addAttribute("fileName", file.toAbsolutePath().toString())
                .addAttribute("append", true)
                .add(b.newLayout("PatternLayout")
                        .addAttribute("pattern", "%d{HH:mm:ss.SSS} %-5level [%t] %c{1.} - %msg%n")));
        b.add(b.newLogger("org.apache.kafka.clients.NetworkClient", Level.WARN));
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("file")));
        Configurator.reconfigure(b.build());
        return new DemoLogFile(file.toAbsolutePath(), previous);
    }

    /** Where the lines go. */
    public Path file() {
        return file;
    }

    /** Logging as it was before (the jar's log4j2.properties, or the user's own). */
    @Override
    public void close() {
        if (previous != null) {
            Configurator.reconfigure(previous);
        } else {
            Configurator.reconfigure();
        }
    }
}
