package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.ConfigSources;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.PyTorch;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.versions.ModelPublisher;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.io.DType;
import io.streamgru.model.io.SafetensorsFile;
import io.streamgru.model.io.SafetensorsReader;
import io.streamgru.model.io.SafetensorsWriter;
import io.streamgru.model.io.StateDict;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SeriesState;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code streamgru model list|export|import|rollback} on a real broker: exported files load in
 * PyTorch with the same outputs, PyTorch-made files import with the same outputs, imported and
 * rolled-back versions are adopted by a running application, and mistakes publish nothing.
 */
@WithKafka
class ModelCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final double TOLERANCE = 1e-9;
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    /** The settings file every command of a test reads: one feature (load), target temperature, hidden 16. */
    private Path configFile(KafkaTestCluster kafka, String appId, String input) throws Exception {
        Path file = dir.resolve(appId + ".properties");
        Files.writeString(file, String.join("\n",
                "app.id=" + appId,
                "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "kafka.state.dir=" + dir.resolve("state-" + appId),
                "kafka.commit.interval.ms=100",
                "input.topics=" + input,
                "input.features=load",
                "input.target=temperature",
                "learner.hidden=16",
                "learner.chunk=8",
                "learner.window=16",
                // The GRU and head alone: these tests build the PyTorch module without the linear path
                // (its export is PyTorchRoundTripTest's and the README recipe's).
                "learner.linear.lags=0",
                "streaming.gradient.flush.ms=500",
                "streaming.model.history.interval.ms=1000",
                ""));
        return file;
    }

    private static StreamGruConfig config(Path file) {
        return StreamGruConfig.from(ConfigSources.fromFile(file));
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result cli(Object... args) {
        CommandLine cmd = StreamGruCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    private static List<KeyValue<byte[], byte[]>> readings(int keys, int fromStep, int toStep) {
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = fromStep; t < toStep; t++) {
            for (int k = 0; k < keys; k++) {
                records.add(KeyValue.pair(("sensor-" + k).getBytes(),
                        String.format(Locale.ROOT, "{\"load\":%.6f,\"temperature\":%.6f}", Math.sin(0.2 * t + k),
                                20 + 3 * Math.sin(0.2 * (t - 1) + k)).getBytes()));
            }
        }
        return records;
    }

    /** A version trained in this JVM on the settings' model: non-trivial parameters, statistics and optimizer state. */
    private static ModelVersion trained(StreamGruConfig c, int steps) {
        OnlineForecaster forecaster = new OnlineForecaster(c.learner());
        SeriesState series = forecaster.newSeries();
        for (int t = 0; t < steps; t++) {
            forecaster.observe(series, new double[] {Math.sin(0.2 * t)}, 20 + 3 * Math.sin(0.2 * (t - 1)));
        }
        return new ModelVersion(0, c.configHash(),
                forecaster.model().parameters().clone(), forecaster.featureNormalizer().exportState(),
                forecaster.targetNormalizer().exportState(), forecaster.accumulator().optimizer().exportState(),
                forecaster.accumulator().stepsApplied(), steps, 0, "test", 0.25);
    }

    @Test
    void exportedSafetensorsLoadInPyTorchAndGiveTheSameOutputs(KafkaTestCluster kafka) throws Exception {
        PyTorch.assumeAvailable();
        Path file = configFile(kafka, "export-" + System.nanoTime(), "unused-input");
        StreamGruConfig c = config(file);
        ModelVersion first;
        ModelVersion second;
        try (ModelPublisher publisher = new ModelPublisher(c)) {
            first = publisher.publishNext(trained(c, 100), "test");
            second = publisher.publishNext(trained(c, 400), "test");
        }

        Path newest = dir.resolve("newest.safetensors");
        Result r = cli("model", "export", "--config", file, "--output", newest);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("exported version 2 of model '" + c.modelName() + "'");
        double[] inputs = sequence(6, c.learner().inputSize());
        assertThat(PyTorch.outputsOf(newest, inputs))
                .containsExactly(outputs(c.learner().gruConfig(), second.parameters(), inputs), within(TOLERANCE));

        Path older = dir.resolve("v1.safetensors");
        assertThat(cli("model", "export", "--config", file, "--version", 1, "-o", older).exit()).isZero();
        SafetensorsFile v1 = SafetensorsReader.read(Files.readAllBytes(older));
        assertThat(StateDict.fromTensors(new ParameterLayout(c.learner().gruConfig()), v1.tensors()))
                .containsExactly(first.parameters());
        assertThat(v1.metadata()).containsEntry("streamgru.version", "1").containsEntry("streamgru.origin", "test")
                .containsEntry("streamgru.feature_names", "[\"load\"]").containsEntry("streamgru.target", "temperature")
                .containsEntry("streamgru.records", "100");
        assertThat(v1.tensors().keySet()).containsExactly("gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0",
                "gru.bias_hh_l0", "head.weight", "head.bias");

        Result missing = cli("model", "export", "--config", file, "--version", 7, "-o", dir.resolve("v7.safetensors"));
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("version 7 of model", "not on record; versions on record: 1-2");
        assertThat(dir.resolve("v7.safetensors")).doesNotExist();
    }

    @Test
    void anAvroSnapshotCarriesEverythingAndImportsBackExactly(KafkaTestCluster kafka) throws Exception {
        Path file = configFile(kafka, "avro-" + System.nanoTime(), "unused-input");
        StreamGruConfig c = config(file);
        ModelVersion original;
        try (ModelPublisher publisher = new ModelPublisher(c)) {
            original = publisher.publishNext(trained(c, 300), "test");
        }
        assertThat(original.optimizerState()).isNotEmpty();
        Path snapshot = dir.resolve("snapshot.bin");

        Result export = cli("model", "export", "--config", file, "--format", "avro", "-o", snapshot);
        Result imported = cli("model", "import", "--config", file, snapshot);

        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(Files.readAllBytes(snapshot)).startsWith('O', 'b', 'j', 1);
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("Avro ModelSnapshot (version 1", "normaliser statistics: from the file",
                "optimizer state: from the file", "published as version 2");
        ModelVersion v2 = new ModelTopicReader(c).find(2).orElseThrow();
        assertThat(v2.origin()).isEqualTo("import");
        assertThat(v2.parameters()).containsExactly(original.parameters());
        assertThat(v2.featureStats()).containsExactly(original.featureStats());
        assertThat(v2.targetStats()).containsExactly(original.targetStats());
        assertThat(v2.optimizerState()).containsExactly(original.optimizerState());
        assertThat(v2.optimizerSteps()).isEqualTo(original.optimizerSteps());
        assertThat(v2.samplesTrained()).isEqualTo(original.samplesTrained());
    }

    @Test
    void anAvroSnapshotFileIsReadByPythonsAvroLibrary(KafkaTestCluster kafka) throws Exception {
        boolean available = new ProcessBuilder("/usr/bin/python3", "-c", "import avro.datafile").start().waitFor() == 0;
        if (!available && "1".equals(System.getenv("CI_REQUIRE_PYTHON_CONFLUENT"))) {
            throw new AssertionError("CI_REQUIRE_PYTHON_CONFLUENT=1 but python3 cannot import avro "
                    + "(apt-get install -y python3-avro)");
        }
        Assumptions.assumeTrue(available, "python3-avro absent (apt-get install -y python3-avro)");
        Path file = configFile(kafka, "pyavro-" + System.nanoTime(), "unused-input");
        StreamGruConfig c = config(file);
        ModelVersion original;
        try (ModelPublisher publisher = new ModelPublisher(c)) {
            original = publisher.publishNext(trained(c, 200), "test");
        }
        Path snapshot = dir.resolve("snapshot.avro");
        assertThat(cli("model", "export", "--config", file, "-o", snapshot).exit()).isZero();

        String output = PyTorch.run(List.of("/usr/bin/python3", "-c", String.join("\n",
                "import struct, avro.datafile, avro.io",
                "with open('" + snapshot + "', 'rb') as f:",
                "    r = avro.datafile.DataFileReader(f, avro.io.DatumReader())",
                "    s = next(iter(r))",
                "    p = s['parameters']",
                "    values = struct.unpack('<%dd' % p['length'], p['data'])",
                "    print('SNAPSHOT', s['version'], ','.join(s['config']['features']), s['config']['target'],"
                        + " s['config']['hidden'], s['records_trained'], r.get_meta('streamgru.origin').decode())",
                "    print('OUTPUTS ' + ' '.join(repr(v) for v in values))")));

        assertThat(output).contains("SNAPSHOT 1 load temperature 16 200 test");
        assertThat(PyTorch.outputs(output)).containsExactly(original.parameters());
    }

    @Test
    void importWithWrongShapesFailsNamingTheTensorsAndPublishesNothing(KafkaTestCluster kafka) throws Exception {
        Path file = configFile(kafka, "shapes-" + System.nanoTime(), "unused-input");
        StreamGruConfig c = config(file);
        try (ModelPublisher publisher = new ModelPublisher(c)) {
            publisher.publishNext(trained(c, 50), "test");
        }
        // hidden 8 where the app has 16; the input size (1 feature + 2 autoregressive) is right.
        ParameterLayout wrong = new ParameterLayout(GruConfig.linear(3, 8, 1, 1));
        Path model = dir.resolve("hidden8.safetensors");
        try (OutputStream out = Files.newOutputStream(model)) {
            SafetensorsWriter.write(out, StateDict.toTensors(wrong, new double[wrong.size()], DType.F32), Map.of());
        }

        Result r = cli("model", "import", "--config", file, model);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("does not fit app '" + c.appId() + "'", "hidden 16",
                "gru.weight_ih_l0 has shape [24, 3], expected [48, 3]", "head.weight has shape [1, 8], expected [1, 16]");
        assertThat(r.out()).doesNotContain("published");
        List<ModelVersion> versions = new ModelTopicReader(c).summaries();
        assertThat(versions).extracting(ModelVersion::version).containsExactly(1L);

        Result notAModel = cli("model", "import", "--config", file, file); // the properties file
        assertThat(notAModel.exit()).isEqualTo(2);
        assertThat(notAModel.err()).contains("not a readable safetensors file");
        assertThat(new ModelTopicReader(c).summaries()).hasSize(1);
    }

    @Test
    void aPyTorchModelIsImportedWithItsOutputsAndAdoptedByTheRunningApp(KafkaTestCluster kafka) throws Exception {
        PyTorch.assumeAvailable();
        String input = kafka.newTopic("import-in", 2);
        Path file = configFile(kafka, "import-" + System.nanoTime(), input);
        StreamGruConfig c = config(file);
        // A PyTorch forecaster of the app's shape: 3 inputs (load + 2 autoregressive), hidden 16, float32.
        Path model = dir.resolve("torch.safetensors");
        double[] inputs = sequence(6, 3);
        double[] torchOutputs = PyTorch.outputs(PyTorch.run(String.join("\n",
                "import torch",
                "from torch import nn",
                "from make_safetensors_fixture import write_safetensors",
                "class Forecaster(nn.Module):",
                "    def __init__(self):",
                "        super().__init__()",
                "        self.gru = nn.GRU(3, 16, num_layers=1, batch_first=True)",
                "        self.head = nn.Linear(16, 1)",
                "    def forward(self, x):",
                "        out, _ = self.gru(x)",
                "        return self.head(out)",
                "torch.manual_seed(11)",
                "m = Forecaster()",
                "write_safetensors('" + model + "', dict(m.state_dict()), dtype='F32')",
                "x = torch.tensor([" + join(inputs) + "], dtype=torch.float64).reshape(1, 6, 3)",
                "with torch.no_grad():",
                "    y = m.double()(x)",
                "print('OUTPUTS ' + ' '.join(repr(v) for v in y.reshape(-1).tolist()))")));

        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        List<KeyValue<byte[], byte[]>> first = readings(4, 0, 300);
        List<KeyValue<byte[], byte[]>> second = readings(4, 300, 600);
        Result r;
        long lastForecastVersion = 0;
        try (StreamGruApp app = new StreamGruApp(c, metrics)) {
            app.start();
            kafka.produce(input, first);
            kafka.consume(c.output().topic(), first.size(), WAIT);

            r = cli("model", "import", "--config", file, model);

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            kafka.produce(input, second);
            for (ConsumerRecord<byte[], byte[]> f : kafka.consume(c.output().topic(), first.size() + second.size(),
                    WAIT)) {
                lastForecastVersion = Math.max(lastForecastVersion, json.readTree(f.value()).get("model_version").asLong());
            }
        }

        System.out.print(r.out());
        assertThat(r.out()).contains("PyTorch safetensors", "normaliser statistics: kept from version",
                "optimizer state: fresh");
        long imported = Long.parseLong(r.out().replaceAll("(?s).*published as version (\\d+).*", "$1"));
        ModelTopicReader reader = new ModelTopicReader(c);
        ModelVersion v = reader.find(imported).orElseThrow();
        assertThat(v.origin()).isEqualTo("import");
        assertThat(outputs(c.learner().gruConfig(), v.parameters(), inputs))
                .containsExactly(torchOutputs, within(TOLERANCE));
        assertThat(lastForecastVersion).as("forecasts carry the imported version or its successors")
                .isGreaterThanOrEqualTo(imported);
        List<ModelVersion> all = modelTopic(kafka, c);
        ModelVersion next = all.get((int) imported);
        assertThat(next.version()).isEqualTo(imported + 1);
        assertThat(next.origin()).isEqualTo(ModelVersion.FROM_OPTIMIZER);
        assertThat(maxDifference(next.parameters(), v.parameters())).as("trained on from the import").isLessThan(0.1);
        assertThat(maxDifference(all.get((int) imported - 2).parameters(), v.parameters()))
                .as("the version before the import").isGreaterThan(0.2);
        JsonNode listed = json.readTree(cli("model", "list", "--config", file, "--json").out());
        assertThat(listed.get("versions")).anySatisfy(n -> {
            assertThat(n.get("version").asLong()).isEqualTo(imported);
            assertThat(n.get("origin").asText()).isEqualTo("import");
            assertThat(n.get("optimizer_steps").asLong()).isZero();
        });
    }

    @Test
    void rollbackPublishesAnOldVersionAgainAndTheRunningAppTrainsOnFromIt(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("rollback-in", 2);
        Path file = configFile(kafka, "rollback-" + System.nanoTime(), input);
        StreamGruConfig c = config(file);
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        List<KeyValue<byte[], byte[]>> first = readings(4, 0, 300);
        List<KeyValue<byte[], byte[]>> second = readings(4, 300, 600);
        ModelTopicReader reader = new ModelTopicReader(c);
        ModelVersion shifted;
        long newestBefore;
        Result r;
        long lastForecastVersion = 0;
        try (StreamGruApp app = new StreamGruApp(c, metrics); ModelPublisher publisher = new ModelPublisher(c)) {
            app.start();
            kafka.produce(input, first);
            kafka.consume(c.output().topic(), first.size(), WAIT);
            ModelVersion live = awaitIdle(reader);
            // A version far from version 1, so where the next versions come from is unmistakable.
            double[] moved = live.parameters().clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += 0.5;
            }
            shifted = publisher.publishNext(new ModelVersion(0, live.configHash(), moved, live.featureStats(),
                    live.targetStats(), new double[0], 0, live.samplesTrained(), 0, "x", Double.NaN), "test-shift");
            newestBefore = reader.latest().orElseThrow().version();

            r = cli("model", "rollback", "--config", file, "--to", 1);

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            kafka.produce(input, second);
            for (ConsumerRecord<byte[], byte[]> f : kafka.consume(c.output().topic(), first.size() + second.size(),
                    WAIT)) {
                lastForecastVersion = Math.max(lastForecastVersion, json.readTree(f.value()).get("model_version").asLong());
            }
        }

        // The number comes from the command: should the optimizer still publish a late step, newest + 1 moves with it.
        long rolledBack = Long.parseLong(r.out().replaceAll("(?s).*as version (\\d+) of model.*", "$1"));
        assertThat(rolledBack).isGreaterThanOrEqualTo(newestBefore + 1);
        assertThat(r.out()).contains("published version 1's parameters as version " + rolledBack, "rollback:1");
        ModelVersion one = reader.find(1).orElseThrow();
        ModelVersion v = reader.find(rolledBack).orElseThrow();
        assertThat(v.origin()).isEqualTo("rollback:1");
        assertThat(v.parameters()).containsExactly(one.parameters());
        assertThat(v.featureStats()).containsExactly(one.featureStats());
        assertThat(v.targetStats()).containsExactly(one.targetStats());
        assertThat(v.optimizerState()).containsExactly(one.optimizerState());
        assertThat(lastForecastVersion).as("forecasts carry the rolled-back version or its successors")
                .isGreaterThanOrEqualTo(rolledBack);
        List<ModelVersion> all = modelTopic(kafka, c);
        ModelVersion next = all.get((int) rolledBack);
        assertThat(next.origin()).isEqualTo(ModelVersion.FROM_OPTIMIZER);
        assertThat(maxDifference(next.parameters(), one.parameters())).as("trained on from version 1").isLessThan(0.1);
        assertThat(maxDifference(next.parameters(), shifted.parameters())).as("not from the shifted version")
                .isGreaterThan(0.4);

        Result table = cli("model", "list", "--config", file, "--last", 0);
        System.out.print(r.out() + table.out());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("VERSION", "CREATED", "ORIGIN", "SAMPLES", "STEPS", "LOSS", "optimizer",
                "test-shift", "rollback:1", "newest " + (all.size()));
        JsonNode listed = json.readTree(cli("model", "list", "--config", file, "--json", "--last", 0).out());
        List<String> origins = new ArrayList<>();
        for (JsonNode n : listed.get("versions")) {
            origins.add(n.get("origin").asText());
            Instant.parse(n.get("created_at").asText());
        }
        assertThat(origins).contains("optimizer", "test-shift", "rollback:1");
        JsonNode rollbackEntry = listed.get("versions").get(origins.indexOf("rollback:1"));
        assertThat(rollbackEntry.get("version").asLong()).isEqualTo(rolledBack);
        assertThat(rollbackEntry.get("samples_trained").asLong()).isEqualTo(one.samplesTrained()).isPositive();
        assertThat(rollbackEntry.get("optimizer_steps").asLong()).isEqualTo(one.optimizerSteps());

        Result nowhere = cli("model", "rollback", "--config", file, "--to", 100_000);
        assertThat(nowhere.exit()).isEqualTo(2);
        assertThat(nowhere.err()).contains("version 100000 of model '" + c.modelName() + "' is not on record");
    }

    @Test
    void listShowsTheNewestTwentyVersionsUnlessToldOtherwise(KafkaTestCluster kafka) throws Exception {
        Path file = configFile(kafka, "list-last-" + System.nanoTime(), "unused-input");
        StreamGruConfig c = config(file);
        try (ModelPublisher publisher = new ModelPublisher(c)) {
            for (int i = 0; i < 25; i++) {
                publisher.publishNext(trained(c, 10), "test-" + (i + 1));
            }
        }

        Result byDefault = cli("model", "list", "--config", file);
        Result three = cli("model", "list", "--config", file, "--last", 3);
        Result all = cli("model", "list", "--config", file, "--last", 0);
        JsonNode threeAsJson = json.readTree(cli("model", "list", "--config", file, "--last", 3, "--json").out());

        assertThat(versionRows(byDefault.out())).containsExactlyElementsOf(range(6, 25));
        assertThat(byDefault.out()).contains("25 versions on record, newest 25; the newest 20 shown");
        assertThat(versionRows(three.out())).containsExactly(23L, 24L, 25L);
        assertThat(versionRows(all.out())).containsExactlyElementsOf(range(1, 25));
        assertThat(all.out()).doesNotContain("shown");
        assertThat(threeAsJson.get("versions_on_record").asInt()).isEqualTo(25);
        assertThat(threeAsJson.get("versions")).hasSize(3);
        assertThat(threeAsJson.get("versions").get(0).get("origin").asText()).isEqualTo("test-23");
        assertThat(cli("model", "list", "--config", file, "--last", -1).exit()).isEqualTo(2);
    }

    /** The version numbers of a {@code model list} table, in order. */
    private static List<Long> versionRows(String table) {
        List<Long> rows = new ArrayList<>();
        for (String line : table.split("\\R")) {
            if (line.matches("\\s*\\d+\\s+\\d{4}-.*")) {
                rows.add(Long.parseLong(line.trim().split("\\s+")[0]));
            }
        }
        return rows;
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            r.add(v);
        }
        return r;
    }

    @Test
    void listSaysWhenNothingIsPublishedYet(KafkaTestCluster kafka) throws Exception {
        Path file = configFile(kafka, "empty-" + System.nanoTime(), "unused-input");
        StreamGruConfig c = config(file);

        Result table = cli("model", "list", "--config", file);
        Result asJson = cli("model", "list", "--config", file, "--json");

        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("no versions of model '" + c.modelName() + "' on record");
        assertThat(json.readTree(asJson.out()).get("versions")).isEmpty();
    }

    /** The newest version once the optimizer has published nothing new for two seconds. */
    private static ModelVersion awaitIdle(ModelTopicReader reader) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ModelVersion last = reader.latest().orElse(null);
        while (System.nanoTime() < deadline) {
            Thread.sleep(2000);
            ModelVersion now = reader.latest().orElse(null);
            if (now != null && last != null && now.version() == last.version()) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the optimizer did not settle within " + WAIT);
    }

    /** Every version on the (uncompacted, in a test) model topic, in order: version i + 1 at index i. */
    private static List<ModelVersion> modelTopic(KafkaTestCluster kafka, StreamGruConfig c) {
        List<ModelVersion> versions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(c.modelTopic(), Duration.ofSeconds(2))) {
            versions.add(ModelVersionCodec.decode(r.value()));
        }
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i).version()).as("version #%d", i).isEqualTo(i + 1);
        }
        return versions;
    }

    private static double[] sequence(int steps, int size) {
        double[] v = new double[steps * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(0.7 * i) * 1.3;
        }
        return v;
    }

    private static String join(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : ", ").append(v);
        }
        return b.toString();
    }

    /** The head's output at every step from a zero state: what StreamGRU's GRU computes. */
    private static double[] outputs(GruConfig config, double[] parameters, double[] inputs) {
        GruModel model = new GruModel(config, parameters);
        int steps = inputs.length / config.inputSize();
        double[] state = model.newState();
        double[] out = new double[config.outputs()];
        double[] all = new double[steps * config.outputs()];
        var ws = model.newWorkspace();
        for (int t = 0; t < steps; t++) {
            model.step(state, Arrays.copyOfRange(inputs, t * config.inputSize(), (t + 1) * config.inputSize()), out, ws);
            System.arraycopy(out, 0, all, t * config.outputs(), config.outputs());
        }
        return all;
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
