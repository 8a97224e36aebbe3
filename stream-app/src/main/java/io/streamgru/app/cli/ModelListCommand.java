package io.streamgru.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamgru model list}: the versions on record, oldest first. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Lists the model's versions on record, oldest first.",
            "Columns: number, creation time (UTC), origin (optimizer, import, rollback:N,",
            "replay, ...), samples trained, optimizer steps, training loss, config hash.",
            "The history topic keeps one version per streaming.model.history.interval.ms",
            "of training, and every imported or rolled-back one."
        })
public final class ModelListCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--last", paramLabel = "N", defaultValue = "20",
            description = "Show the newest N versions on record (default: ${DEFAULT-VALUE}; 0: all).")
    int last;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StreamGruConfig config = configOptions.config();
        if (last < 0) {
            throw new IllegalArgumentException("--last must be 0 (all) or more, not " + last);
        }
        List<ModelVersion> onRecord = new ModelTopicReader(config).summaries();
        List<ModelVersion> versions = last == 0 || onRecord.size() <= last ? onRecord
                : onRecord.subList(onRecord.size() - last, onRecord.size());
        String hash = config.configHash();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(config, hash, versions, onRecord.size()));
        } else {
            out.print(toTable(config, hash, versions, onRecord.size()));
        }
        out.flush();
        return 0;
    }

    /** @param onRecord how many versions are on record ({@code versions} may be the newest of them) */
    static String toJson(StreamGruConfig config, String hash, List<ModelVersion> versions, int onRecord)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("app_id", config.appId());
        root.put("model_name", config.modelName());
        root.put("config_hash", hash);
        root.put("versions_on_record", onRecord);
        ArrayNode list = root.putArray("versions");
        for (ModelVersion v : versions) {
            ObjectNode n = list.addObject();
            n.put("version", v.version());
            n.put("created_at", Instant.ofEpochMilli(v.createdAt()).toString());
            n.put("origin", v.origin());
            n.put("samples_trained", v.samplesTrained());
            n.put("optimizer_steps", v.optimizerSteps());
            if (Double.isFinite(v.loss())) {
                n.put("loss", v.loss());
            } else {
                n.putNull("loss");
            }
            n.put("config_hash", v.configHash());
        }
        return mapper.writeValueAsString(root);
    }

    static String toTable(StreamGruConfig config, String hash, List<ModelVersion> versions, int onRecord) {
        if (versions.isEmpty()) {
            return String.format(Locale.ROOT, "no versions of model '%s' on record (topics %s, %s)%n",
                    config.modelName(), config.modelTopic(), config.modelHistoryTopic());
        }
        StringBuilder b = new StringBuilder();
        String row = "%8s  %-24s  %-14s  %12s  %9s  %12s  %s%n";
        b.append(String.format(Locale.ROOT, row, "VERSION", "CREATED", "ORIGIN", "SAMPLES", "STEPS", "LOSS", "CONFIG"));
        for (ModelVersion v : versions) {
            b.append(String.format(Locale.ROOT, row, v.version(), Instant.ofEpochMilli(v.createdAt()), v.origin(),
                    v.samplesTrained(), v.optimizerSteps(),
                    Double.isFinite(v.loss()) ? String.format(Locale.ROOT, "%.6g", v.loss()) : "-",
                    v.configHash() + (v.configHash().equals(hash) ? "" : " (not this config)")));
        }
        b.append(String.format(Locale.ROOT, "model '%s' of app '%s' (config %s): %d versions on record, newest %d%s%n",
                config.modelName(), config.appId(), hash, onRecord, versions.get(versions.size() - 1).version(),
                versions.size() < onRecord ? "; the newest " + versions.size() + " shown (--last N, 0: all)" : ""));
        return b.toString();
    }
}
