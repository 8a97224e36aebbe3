package io.streamgru.app.versions;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.model.gru.HeadType;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.io.StateDict;
import io.streamgru.model.io.Tensor;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.schemas.Dtype;
import io.streamgru.schemas.ModelConfig;
import io.streamgru.schemas.ModelSnapshot;
import io.streamgru.schemas.PackedArray;
import io.streamgru.schemas.numeric.PackedArrayCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Model versions as Avro object container files ("data files") holding one {@code ModelSnapshot}
 * (schemas module): the schema travels in the file, so {@code avro-tools tojson} or Python's
 * {@code avro.datafile.DataFileReader} read it without a registry. Complete for StreamGRU: the
 * configuration with feature and target names, parameters, statistics and optimizer state, all
 * float64. The snapshot schema has no field for the version's origin or loss.
 */
public final class AvroSnapshotFile {

    /** The first bytes of every Avro data file. */
    private static final byte[] MAGIC = {'O', 'b', 'j', 1};

    private AvroSnapshotFile() {
    }

    /**
     * The linear path's lags of a snapshot written before its configuration recorded them: none when
     * the parameters fit the GRU and head alone, else what the extra {@code highway.weight}
     * [1, inputs + lags - 1] implies (a count that fits neither is reported by the caller's check).
     */
    private static int lagsFor(LearnerConfig withoutPath, int parameters) {
        int extra = parameters - new ParameterLayout(withoutPath.gruConfig()).size();
        int lags = extra - withoutPath.inputSize() + 1;
        return extra > 0 && lags >= 1 && lags <= LearnerConfig.MAX_LINEAR_LAGS && withoutPath.autoregressive() ? lags : 0;
    }

    /** Whether {@code bytes} start like an Avro data file. */
    public static boolean isAvroDataFile(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC);
    }

    /** Writes {@code version}, which belongs to {@code config}'s model. */
    public static void write(ModelVersion version, StreamGruConfig config, OutputStream out) throws IOException {
        LearnerConfig c = config.learner();
        ModelConfig modelConfig = ModelConfig.newBuilder()
                .setFeatures(new ArrayList<>(config.input().features()))
                .setTarget(config.input().target())
                .setHorizon(c.horizon()).setAutoregressive(c.autoregressive()).setResidual(c.residual())
                .setHidden(c.hidden()).setLayers(c.layers()).setHead(c.head().name().toLowerCase(Locale.ROOT))
                .setHeadHidden(c.headHidden()).setNormalize(c.normalize()).setChunk(c.chunk()).setWindow(c.window())
                .setOptimizer(c.optimizer()).setLearningRate(c.learningRate()).setSchedule(c.schedule())
                .setClip(c.clip()).setWeightDecay(c.weightDecay()).setLoss(c.loss()).setHuberDelta(c.huberDelta())
                .setLossAtLastStep(c.lossAtLastStep()).setInit(c.init()).setSeed(c.seed())
                .setLinearLags(c.linearLags())
                .build();
        ModelSnapshot snapshot = ModelSnapshot.newBuilder()
                .setVersion(version.version())
                .setConfig(modelConfig)
                .setConfigHash(version.configHash())
                .setParameters(PackedArrayCodec.pack(version.parameters(), Dtype.FLOAT64))
                .setOptimizerState(version.optimizerState().length == 0 ? null
                        : PackedArrayCodec.pack(version.optimizerState(), Dtype.FLOAT64))
                .setFeatureNormalizer(PackedArrayCodec.pack(version.featureStats(), Dtype.FLOAT64))
                .setTargetNormalizer(PackedArrayCodec.pack(version.targetStats(), Dtype.FLOAT64))
                .setOptimizerStep(version.optimizerSteps())
                .setRecordsTrained(version.samplesTrained())
                .setCreatedAt(Instant.ofEpochMilli(version.createdAt()))
                .build();
        try (DataFileWriter<ModelSnapshot> writer = new DataFileWriter<>(new SpecificDatumWriter<>(ModelSnapshot.class))) {
            writer.setMeta("streamgru.app_id", config.appId());
            writer.setMeta("streamgru.model_name", config.modelName());
            writer.setMeta("streamgru.origin", version.origin());
            writer.create(ModelSnapshot.getClassSchema(), out);
            writer.append(snapshot);
        }
    }

    /**
     * Reads the first snapshot of an Avro data file. Read as generic records against the snapshot
     * schema (resolving older or newer writers), so no class is ever loaded by a name in the file.
     *
     * @throws IllegalArgumentException if the file is not a readable snapshot file
     */
    public static ModelFile read(byte[] bytes) {
        GenericRecord s;
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(bytes),
                new GenericDatumReader<>(null, ModelSnapshot.getClassSchema()))) {
            if (!reader.hasNext()) {
                throw new IllegalArgumentException("the Avro data file holds no ModelSnapshot");
            }
            s = reader.next();
        } catch (IOException | org.apache.avro.AvroRuntimeException e) {
            throw new IllegalArgumentException("not a readable ModelSnapshot Avro data file: " + e.getMessage(), e);
        }
        GenericRecord mc = (GenericRecord) s.get("config");
        List<String> features = new ArrayList<>();
        for (Object name : (List<?>) mc.get("features")) {
            features.add(name.toString());
        }
        double[] parameters = unpack((GenericRecord) s.get("parameters"), "parameters");
        LearnerConfig config;
        try {
            config = LearnerConfig.builder()
                    .features(features.size()).horizon((Integer) mc.get("horizon"))
                    .autoregressive((Boolean) mc.get("autoregressive")).residual((Boolean) mc.get("residual"))
                    .hidden((Integer) mc.get("hidden")).layers((Integer) mc.get("layers"))
                    .head(HeadType.valueOf(mc.get("head").toString().toUpperCase(Locale.ROOT)))
                    .headHidden(Math.max(1, (Integer) mc.get("head_hidden")))
                    .normalize((Boolean) mc.get("normalize")).chunk((Integer) mc.get("chunk"))
                    .window((Integer) mc.get("window")).optimizer(mc.get("optimizer").toString())
                    .learningRate((Double) mc.get("learning_rate")).schedule(mc.get("schedule").toString())
                    .clip((Double) mc.get("clip")).weightDecay((Double) mc.get("weight_decay"))
                    .loss(mc.get("loss").toString()).huberDelta((Double) mc.get("huber_delta"))
                    .lossAtLastStep((Boolean) mc.get("loss_at_last_step")).init(mc.get("init").toString())
                    .seed((Long) mc.get("seed"))
                    .linearLags(0)
                    .build();
            Object lags = mc.get("linear_lags");
            config = config.toBuilder().linearLags(lags != null ? (Integer) lags : lagsFor(config, parameters.length))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the snapshot's configuration is invalid: " + e.getMessage(), e);
        }
        ParameterLayout layout = new ParameterLayout(config.gruConfig());
        if (parameters.length != layout.size()) {
            throw new IllegalArgumentException("the snapshot holds " + parameters.length + " parameters, but its own "
                    + "configuration " + config.gruConfig() + " needs " + layout.size());
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Tensor t : StateDict.toTensors(layout, parameters)) {
            tensors.put(t.name(), t);
        }
        return new ModelFile("Avro ModelSnapshot (version " + s.get("version") + ", config " + s.get("config_hash") + ")",
                tensors, config, features, mc.get("target").toString(),
                unpack((GenericRecord) s.get("feature_normalizer"), "feature statistics"),
                unpack((GenericRecord) s.get("target_normalizer"), "target statistics"),
                unpack((GenericRecord) s.get("optimizer_state"), "optimizer state"),
                (Long) s.get("records_trained"), Double.NaN);
    }

    /** A generic PackedArray as doubles; null stays null. */
    private static double[] unpack(GenericRecord packed, String what) {
        if (packed == null) {
            return null;
        }
        PackedArray p = PackedArray.newBuilder()
                .setDtype(Dtype.valueOf(packed.get("dtype").toString()))
                .setLength((Integer) packed.get("length"))
                .setData((ByteBuffer) packed.get("data"))
                .build();
        try {
            return PackedArrayCodec.unpack(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the snapshot's " + what + ": " + e.getMessage(), e);
        }
    }
}
