package io.streamgru.app.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SeriesState;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a model file becomes a version of an application's model: shapes checked, every other decision stated. */
class ModelImportTest {

    private static StreamGruConfig app(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("app.id", "plant");
        m.put("kafka.bootstrap.servers", "localhost:9092"); // never contacted here
        m.put("input.topics", "sensors");
        m.put("input.features", "load");
        m.put("input.target", "temperature");
        m.put("learner.hidden", "6");
        m.putAll(extra);
        return StreamGruConfig.from(Settings.of(m, "test"));
    }

    private static ModelVersion trained(StreamGruConfig c) {
        OnlineForecaster f = new OnlineForecaster(c.learner());
        SeriesState s = f.newSeries();
        for (int t = 0; t < 200; t++) {
            f.observe(s, new double[] {Math.sin(0.3 * t)}, 10 + Math.cos(0.3 * t));
        }
        return new ModelVersion(4, c.configHash(),
                f.model().parameters().clone(), f.featureNormalizer().exportState(), f.targetNormalizer().exportState(),
                f.accumulator().optimizer().exportState(), f.accumulator().stepsApplied(), 200, 1_700_000_000_000L,
                "optimizer", 0.5);
    }

    private static byte[] safetensors(ModelVersion v, StreamGruConfig c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafetensorsModelFile.write(v, c, out);
        return out.toByteArray();
    }

    private static byte[] avro(ModelVersion v, StreamGruConfig c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AvroSnapshotFile.write(v, c, out);
        return out.toByteArray();
    }

    @Test
    void aStreamGruSafetensorsFileBringsItsStatisticsButNoOptimizerState() throws Exception {
        StreamGruConfig c = app(Map.of());
        ModelVersion v = trained(c);

        ModelFile file = SafetensorsModelFile.read(safetensors(v, c), c.learner());
        ModelImport.Fitted fitted = ModelImport.fit(file, c, Optional.empty());

        assertThat(file.description()).contains("StreamGRU safetensors (version 4 of model 'plant')");
        assertThat(fitted.contents().parameters()).containsExactly(v.parameters());
        assertThat(fitted.contents().featureStats()).containsExactly(v.featureStats());
        assertThat(fitted.contents().targetStats()).containsExactly(v.targetStats());
        assertThat(fitted.contents().optimizerState()).isEmpty();
        assertThat(fitted.contents().optimizerSteps()).isZero();
        assertThat(fitted.contents().samplesTrained()).isEqualTo(200);
        assertThat(fitted.contents().loss()).isEqualTo(0.5);
        assertThat(fitted.contents().configHash()).isEqualTo(v.configHash());
        assertThat(fitted.notes()).containsExactly("normaliser statistics: from the file",
                "optimizer state: fresh (the file carries none); the learning-rate schedule starts again");
    }

    @Test
    void anotherOptimizersStateIsDroppedAndDifferencesInMeaningAreReported() throws Exception {
        StreamGruConfig writer = app(Map.of("learner.optimizer", "sgd", "learner.horizon", "2",
                "input.features", "power"));
        StreamGruConfig reader = app(Map.of());

        ModelImport.Fitted fitted = ModelImport.fit(AvroSnapshotFile.read(avro(trained(writer), writer)), reader,
                Optional.empty());

        assertThat(fitted.contents().optimizerState()).isEmpty();
        assertThat(fitted.notes()).anySatisfy(n -> assertThat(n).contains("horizon 2 (app: 1)"))
                .anySatisfy(n -> assertThat(n).contains("features [power], the app reads [load]"))
                .anySatisfy(n -> assertThat(n).isEqualTo("normaliser statistics: from the file"))
                .anySatisfy(n -> assertThat(n).contains("optimizer state: fresh", "it is sgd's, the app uses adam"));
    }

    @Test
    void anAvroSnapshotCarriesItsLinearPathAndOneWrittenBeforeTheFieldTakesItFromItsParameterCount()
            throws Exception {
        for (String lags : new String[] {"0", "3", "8"}) {
            StreamGruConfig c = app(Map.of("learner.linear.lags", lags));
            ModelVersion v = trained(c);
            byte[] now = avro(v, c);
            byte[] before = withoutLinearLags(now);

            for (byte[] bytes : List.of(now, before)) {
                ModelFile file = AvroSnapshotFile.read(bytes);
                assertThat(file.config().linearLags()).as("lags " + lags).isEqualTo(Integer.parseInt(lags));
                assertThat(ModelImport.fit(file, c, Optional.empty()).contents().parameters())
                        .containsExactly(v.parameters());
            }
        }
    }

    /** The same snapshot as a release before ModelConfig.linear_lags wrote it (the field unset). */
    private static byte[] withoutLinearLags(byte[] snapshot) throws Exception {
        org.apache.avro.generic.GenericRecord s;
        org.apache.avro.Schema schema;
        try (org.apache.avro.file.DataFileReader<org.apache.avro.generic.GenericRecord> in =
                     new org.apache.avro.file.DataFileReader<>(new org.apache.avro.file.SeekableByteArrayInput(snapshot),
                             new org.apache.avro.generic.GenericDatumReader<>())) {
            schema = in.getSchema();
            s = in.next();
        }
        ((org.apache.avro.generic.GenericRecord) s.get("config")).put("linear_lags", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (org.apache.avro.file.DataFileWriter<org.apache.avro.generic.GenericRecord> w =
                     new org.apache.avro.file.DataFileWriter<>(new org.apache.avro.generic.GenericDatumWriter<>(schema))) {
            w.create(schema, out);
            w.append(s);
        }
        return out.toByteArray();
    }

    @Test
    void withoutStatisticsInTheFileTheNewestVersionsAreKeptElseFreshOnes() throws Exception {
        StreamGruConfig c = app(Map.of());
        ModelVersion newest = trained(c);
        ModelFile plain = new ModelFile("PyTorch", SafetensorsModelFile.read(safetensors(newest, c), c.learner())
                .tensors(), null, null, null, null, null, null, 0, Double.NaN);

        ModelImport.Fitted kept = ModelImport.fit(plain, c, Optional.of(newest));
        ModelImport.Fitted fresh = ModelImport.fit(plain, c, Optional.empty());

        assertThat(kept.contents().featureStats()).containsExactly(newest.featureStats());
        assertThat(kept.notes()).contains("normaliser statistics: kept from version 4 (the file carries none)");
        assertThat(fresh.contents().featureStats()).containsExactly(ModelVersion.initial(c.learner(), "x").featureStats());
        assertThat(fresh.notes().get(0)).startsWith("normaliser statistics: fresh");
    }

    @Test
    void aModelOfAnotherShapeIsRefusedNamingEveryTensorThatDiffers() throws Exception {
        StreamGruConfig two = app(Map.of("learner.layers", "2"));
        ModelFile file = SafetensorsModelFile.read(safetensors(trained(two), two), two.learner());

        assertThatThrownBy(() -> ModelImport.fit(file, app(Map.of()), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit app 'plant', whose model reads 3 inputs (1 feature + 2 autoregressive), "
                        + "hidden 6, 1 layer, linear head")
                .hasMessageContaining("unexpected gru.weight_ih_l1[18, 6]");
    }
}
