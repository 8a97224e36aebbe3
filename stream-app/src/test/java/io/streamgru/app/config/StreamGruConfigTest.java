package io.streamgru.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamGruConfigTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("streamgru.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static final String MINIMAL = """
            app:
              id: plant-7
            kafka:
              bootstrap.servers: broker:9092
              security.protocol: SASL_SSL
              sasl.mechanism: PLAIN
            input:
              topics: [sensors]
              format: json
              key: meta.device
              features: [temperature, humidity]
              target: power.kw
            learner:
              hidden: 48
            """;

    @Test
    void yamlFileBecomesOneTypedConfigWithKafkaSettingsPassedThrough() throws IOException {
        StreamGruConfig c = StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL), Map.of(), Map.of()));

        assertThat(c.appId()).isEqualTo("plant-7");
        assertThat(c.input().topics()).containsExactly("sensors");
        assertThat(c.input().key()).isEqualTo("meta.device");
        assertThat(c.input().time()).isNull();
        assertThat(c.input().features()).containsExactly("temperature", "humidity");
        assertThat(c.input().target()).isEqualTo("power.kw");
        assertThat(c.learner().hidden()).isEqualTo(48);
        assertThat(c.learner().features()).isEqualTo(2);
        assertThat(c.output().topic()).isEqualTo("plant-7-forecasts");
        assertThat(c.gradientsTopic()).isEqualTo("plant-7-gradients");
        assertThat(c.modelTopic()).isEqualTo("plant-7-model");
        assertThat(c.deadLetterTopic()).isEqualTo("plant-7-dlq");
        assertThat(c.streaming().processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(c.streaming().gradientPrecision()).isEqualTo(GradientPrecision.FLOAT32);
        assertThat(c.kafka()).containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideBoth() throws IOException {
        Settings s = ConfigSources.load(yaml(MINIMAL),
                Map.of("STREAMGRU_LEARNER_HIDDEN", "64", "STREAMGRU_LEARNER_CHUNK", "8", "PATH", "/bin"),
                Map.of("learner.hidden", "96"));
        StreamGruConfig c = StreamGruConfig.from(s);

        assertThat(c.learner().hidden()).isEqualTo(96);
        assertThat(c.learner().chunk()).isEqualTo(8);
        assertThat(s.sourceOf("learner.chunk")).isEqualTo("environment variable STREAMGRU_LEARNER_CHUNK");
    }

    @Test
    void propertiesFilesWorkToo() throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "kafka.bootstrap.servers=localhost:9092\ninput.topics=a,b\ninput.target=y\n");
        StreamGruConfig c = StreamGruConfig.from(ConfigSources.fromFile(file));
        assertThat(c.input().topics()).containsExactly("a", "b");
        assertThat(c.learner().features()).isZero();
    }

    @Test
    void unknownSettingsFailFastNamingTheirSource() throws IOException {
        Settings s = ConfigSources.load(yaml(MINIMAL + "  hiden: 3\n"), Map.of("STREAMGRU_KAFKA_BOOTSTRAP_SERVER", "x"),
                Map.of());
        assertThatThrownBy(() -> StreamGruConfig.from(s))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'learner.hiden'")
                .hasMessageContaining("'kafka.bootstrap.server' (from environment variable STREAMGRU_KAFKA_BOOTSTRAP_SERVER;");
    }

    @Test
    void anUnknownKeyNearAKnownOneGetsADidYouMean() throws IOException {
        Settings s = ConfigSources.load(yaml(MINIMAL + "  hiden: 3\n"),
                Map.of("STREAMGRU_KAFKA_BOOTSTRAP_SERVER", "x", "STREAMGRU_STREAMING_MAX_STALENES", "5"),
                Map.of("colour", "blue", "output.topc", "out"));
        assertThatThrownBy(() -> StreamGruConfig.from(s))
                .hasMessageContaining("'learner.hiden' (from " + dir.resolve("streamgru.yaml")
                        + "; did you mean 'learner.hidden'?)")
                .hasMessageContaining("'kafka.bootstrap.server' (from environment variable "
                        + "STREAMGRU_KAFKA_BOOTSTRAP_SERVER; did you mean 'kafka.bootstrap.servers'?)")
                .hasMessageContaining("did you mean 'streaming.max.staleness'?")
                .hasMessageContaining("'output.topc' (from command line; did you mean 'output.topic'?)")
                .hasMessageContaining("'colour' (from command line)");
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(KeySuggestion.distance("learner.hiden", "learner.hidden")).isEqualTo(1);
        assertThat(KeySuggestion.distance("learner.hidden", "learner.hiden")).isEqualTo(1);
        assertThat(KeySuggestion.distance("learner.lr", "learner.lt")).isEqualTo(1);
        assertThat(KeySuggestion.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeySuggestion.distance("", "abc")).isEqualTo(3);
        assertThat(KeySuggestion.nearest("colour", java.util.List.of("app.id", "model.name"))).isEmpty();
    }

    @Test
    void invalidValuesNameKeyValueAndSource() throws IOException {
        Settings s = ConfigSources.load(yaml(MINIMAL), Map.of("STREAMGRU_LEARNER_WINDOW", "lots"), Map.of());
        assertThatThrownBy(() -> StreamGruConfig.from(s))
                .hasMessage("setting 'learner.window' = 'lots' (from environment variable STREAMGRU_LEARNER_WINDOW) "
                        + "must be an integer");
    }

    @Test
    void driftSettingsReachTheLearnerAndBadOnesNameTheirKey() throws IOException {
        StreamGruConfig defaults = StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL), Map.of(), Map.of()));
        assertThat(defaults.learner().driftDetector().spec()).isEqualTo("page-hinkley");
        assertThat(defaults.learner().driftPolicy()).isEqualTo("none");

        StreamGruConfig set = StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL + "  drift.detector: adwin:delta=0.01\n"),
                Map.of("STREAMGRU_LEARNER_DRIFT_POLICY", "boost:3:100"), Map.of()));
        assertThat(set.learner().driftDetector().spec()).isEqualTo("adwin:delta=0.01");
        assertThat(set.learner().newDriftPolicy().factor()).isEqualTo(3.0);

        Settings bad = ConfigSources.load(yaml(MINIMAL), Map.of("STREAMGRU_LEARNER_DRIFT_DETECTOR", "cusum"), Map.of());
        assertThatThrownBy(() -> StreamGruConfig.from(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'learner.drift.detector' = 'cusum' (from environment variable "
                        + "STREAMGRU_LEARNER_DRIFT_DETECTOR)").hasMessageContaining("unknown 'cusum'");
        Settings badPolicy = ConfigSources.load(yaml(MINIMAL), Map.of("STREAMGRU_LEARNER_DRIFT_POLICY", "boost:3"), Map.of());
        assertThatThrownBy(() -> StreamGruConfig.from(badPolicy)).hasMessageContaining("'learner.drift.policy'");
    }

    @Test
    void gradientPrecisionIsFloat32OrFloat64() throws IOException {
        Settings exact = ConfigSources.load(yaml(MINIMAL), Map.of("STREAMGRU_STREAMING_GRADIENT_PRECISION", "float64"),
                Map.of());
        assertThat(StreamGruConfig.from(exact).streaming().gradientPrecision()).isEqualTo(GradientPrecision.FLOAT64);
        Settings half = ConfigSources.load(yaml(MINIMAL), Map.of("STREAMGRU_STREAMING_GRADIENT_PRECISION", "float16"),
                Map.of());
        assertThatThrownBy(() -> StreamGruConfig.from(half)).hasMessageContaining("streaming.gradient.precision")
                .hasMessageContaining("float16");
    }

    @Test
    void missingEssentialsAreClearErrors() throws IOException {
        assertThatThrownBy(() -> StreamGruConfig.from(Settings.of(Map.of("input.topics", "t", "input.target", "y"), "test")))
                .hasMessageContaining("kafka.bootstrap.servers");
        assertThatThrownBy(() -> StreamGruConfig.from(Settings.of(
                Map.of("kafka.bootstrap.servers", "b:1", "input.topics", "t", "input.target", "y", "input.format", "avro"),
                "test"))).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> StreamGruConfig.from(Settings.of(
                Map.of("kafka.bootstrap.servers", "b:1", "input.topics", "t"), "test")))
                .hasMessageContaining("input.target");
    }

    @Test
    void theHttpEndpointListensOnEveryAddressAtPort8080WithoutAuthOrTlsUnlessSetOtherwise() throws IOException {
        StreamGruConfig.Http defaults = StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL), Map.of(), Map.of())).http();
        assertThat(defaults).isEqualTo(new StreamGruConfig.Http("0.0.0.0", 8080, null, null, null, ""));
        assertThat(defaults.enabled()).isTrue();

        StreamGruConfig.Http set = StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL + """
                http:
                  port: 9404
                  bind: 127.0.0.1
                  auth.user: prometheus
                  tls.keystore: /etc/streamgru/endpoint.p12
                """), Map.of("STREAMGRU_HTTP_AUTH_PASSWORD", "s3cret", "STREAMGRU_HTTP_TLS_KEYSTORE_PASSWORD", "changeit"),
                Map.of())).http();
        assertThat(set).isEqualTo(new StreamGruConfig.Http("127.0.0.1", 9404, "prometheus", "s3cret",
                "/etc/streamgru/endpoint.p12", "changeit"));
        assertThat(set.authenticates()).isTrue();
        assertThat(set.tls()).isTrue();
        assertThat(set.toString()).doesNotContain("s3cret", "changeit");

        assertThat(StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL), Map.of("STREAMGRU_HTTP_PORT", "-1"), Map.of()))
                .http().enabled()).isFalse();
    }

    @Test
    void httpSettingsThatCannotWorkStopTheStartNamingTheSetting() throws IOException {
        assertThatThrownBy(() -> StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL),
                Map.of("STREAMGRU_HTTP_PORT", "70000"), Map.of()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'http.port' = 70000").hasMessageContaining("-1 for no HTTP endpoint");
        assertThatThrownBy(() -> StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL),
                Map.of("STREAMGRU_HTTP_AUTH_USER", "prometheus"), Map.of()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'http.auth.user' and 'http.auth.password' go together");
        assertThatThrownBy(() -> StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL),
                Map.of("STREAMGRU_HTTP_TLS_KEYSTORE_PASSWORD", "changeit"), Map.of()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs 'http.tls.keystore'");
        assertThatThrownBy(() -> StreamGruConfig.from(ConfigSources.load(yaml(MINIMAL + "http:\n  prot: 80\n"),
                Map.of(), Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("'http.prot'");
    }
}
