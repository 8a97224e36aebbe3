package io.streamgru.app.cli;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputException;
import io.streamgru.app.versions.AvroSnapshotFile;
import io.streamgru.app.versions.ModelFile;
import io.streamgru.app.versions.ModelImport;
import io.streamgru.app.versions.ModelPublisher;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.SafetensorsModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamgru model import}: a model file published as the next version. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Publishes a model file as the next version (origin import).",
            "FILE: safetensors (StreamGRU's export, or a PyTorch state dict of gru = nn.GRU",
            "and head = nn.Linear, any float dtype) or an Avro snapshot (export --format",
            "avro). Its tensors must have the shapes the settings' learner needs.",
            "Normaliser statistics: the file's if StreamGRU wrote it, else the newest",
            "version's (or fresh). Optimizer state: an Avro snapshot's of the same",
            "optimizer, else fresh. The running app adopts the new version."
        })
public final class ModelImportCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Parameters(index = "0", paramLabel = "FILE", description = "The model file.")
    Path file;

    @Option(names = "--dry-run", description = "Check the file against the settings and report; publish nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StreamGruConfig config = configOptions.config();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException("no such model file: " + file);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ModelPublisher publisher = new ModelPublisher(config)) {
            ModelImport.Fitted fitted;
            try {
                ModelFile model = AvroSnapshotFile.isAvroDataFile(bytes) ? AvroSnapshotFile.read(bytes)
                        : SafetensorsModelFile.read(bytes, config.learner());
                fitted = ModelImport.fit(model, config, publisher.reader().latest());
                out.printf("%s: %s%n", file, model.description());
            } catch (IllegalArgumentException e) {
                throw new InputException(file + ": " + e.getMessage(), e);
            }
            for (String note : fitted.notes()) {
                out.println("  " + note);
            }
            if (dryRun) {
                out.println("dry run: nothing published");
            } else {
                ModelVersion published;
                try {
                    published = publisher.publishNext(fitted.contents(), ModelImport.ORIGIN);
                } catch (IllegalStateException e) {
                    spec.commandLine().getErr().println("error: " + e.getMessage());
                    return 1;
                }
                out.printf(Locale.ROOT, "published as version %d of model '%s' (origin %s)%n", published.version(),
                        config.modelName(), published.origin());
            }
            out.flush();
            return 0;
        }
    }
}
