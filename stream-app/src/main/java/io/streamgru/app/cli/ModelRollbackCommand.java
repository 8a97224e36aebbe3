package io.streamgru.app.cli;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.versions.ModelPublisher;
import io.streamgru.app.versions.ModelVersion;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamgru model rollback}: an earlier version published again as the newest. */
@Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Publishes an earlier version again as the newest (origin rollback:N).",
            "Version N's parameters, normaliser statistics and optimizer state become a",
            "new version, so history stays linear; the running app adopts it and trains",
            "on from there."
        })
public final class ModelRollbackCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--to", required = true, paramLabel = "N", description = "The version to return to.")
    long to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StreamGruConfig config = configOptions.config();
        try (ModelPublisher publisher = new ModelPublisher(config)) {
            ModelVersion target = publisher.reader().require(to);
            ModelVersion published;
            try {
                published = publisher.publishNext(target, "rollback:" + to);
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "published version %d's parameters as version %d of model '%s' (origin %s)%n",
                    to, published.version(), config.modelName(), published.origin());
            out.flush();
            return 0;
        }
    }
}
