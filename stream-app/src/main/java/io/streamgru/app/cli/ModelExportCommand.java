package io.streamgru.app.cli;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputException;
import io.streamgru.app.versions.AvroSnapshotFile;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.SafetensorsModelFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamgru model export}: one version to a file, for PyTorch (safetensors) or as a complete Avro snapshot. */
// Not mixinStandardHelpOptions: its --version (print the program's version) would clash with --version N.
@Command(name = "export", sortOptions = false,
        description = {
            "Writes one version of the model to a file.",
            "safetensors: the parameters in float64 under PyTorch's names (a module with",
            "gru = nn.GRU and head = nn.Linear loads them with load_state_dict(strict=True))",
            "and metadata: configuration, normaliser statistics, version, origin, names.",
            "avro: one ModelSnapshot in an Avro data file, with the optimizer state:",
            "everything to continue training elsewhere."
        })
public final class ModelExportCommand implements Callable<Integer> {

    /** File formats {@code export} writes. */
    enum Format { SAFETENSORS, AVRO }

    @Mixin
    ConfigOptions configOptions;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", paramLabel = "N", description = "The version to export (default: the newest).")
    Long version;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write it.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "safetensors or avro (default: avro for a FILE ending in .avro, else safetensors).")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Format chosen = format();
        StreamGruConfig config = configOptions.config();
        ModelTopicReader reader = new ModelTopicReader(config);
        ModelVersion v = version == null ? reader.requireLatest() : reader.require(version);
        String hash = config.configHash();
        if (!v.configHash().equals(hash)) {
            throw new IllegalArgumentException("version " + v.version() + " belongs to configuration "
                    + v.configHash() + ", but the settings describe " + hash
                    + ": export needs the settings the model was trained with (learner shape, features, target)");
        }
        // Written beside the target and moved into place: a failed export leaves no half file.
        Path parent = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new InputException("cannot write " + output + ": no directory " + parent);
        }
        Path partial = Files.createTempFile(parent, output.getFileName().toString(), ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                if (chosen == Format.AVRO) {
                    AvroSnapshotFile.write(v, config, out);
                } else {
                    SafetensorsModelFile.write(v, config, out);
                }
            }
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "exported version %d of model '%s' (origin %s, %d samples trained) to %s (%s)%n",
                v.version(), config.modelName(), v.origin(), v.samplesTrained(), output,
                chosen.name().toLowerCase(Locale.ROOT));
        out.flush();
        return 0;
    }

    private Format format() {
        if (format == null) {
            return output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".avro")
                    ? Format.AVRO : Format.SAFETENSORS;
        }
        try {
            return Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be safetensors or avro, not '" + format + "'");
        }
    }
}
