package io.streamgru.schemas.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.ModelSnapshot;
import io.streamgru.schemas.SampleMessages;
import io.streamgru.schemas.numeric.PackedArrayCodec;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Confluent's own Python client decodes what StreamGRU wrote: the legacy
 * {@code confluent_kafka.avro} stack (CachedSchemaRegistryClient + MessageSerializer.decode_message,
 * what AvroConsumer calls per message), against our LocalSchemaRegistryServer and against Apicurio.
 *
 * <p>Needs {@value ConfluentPythonClient#APT_PACKAGES} (Debian). Without them the test is skipped,
 * unless {@value ConfluentPythonClient#REQUIRE_ENV}=1, when it fails.
 */
@ExtendWith(ApicurioRegistry.class)
class PythonConfluentClientInteropTest {

    private static ConfluentPythonClient python;
    private static LocalSchemaRegistryServer local;

    @BeforeAll
    static void findPythonAndStartLocalRegistry() {
        ConfluentPythonClient.Result<ConfluentPythonClient> found = ConfluentPythonClient.find();
        if (found.value().isEmpty()) {
            if ("1".equals(System.getenv(ConfluentPythonClient.REQUIRE_ENV))) {
                fail(ConfluentPythonClient.REQUIRE_ENV + "=1 but " + found.detail());
            }
            abort("Confluent Python client unavailable: " + found.detail());
        }
        python = found.value().get();
        local = LocalSchemaRegistryServer.builder().start();
    }

    @AfterAll
    static void stopLocalRegistry() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void decodesForecastsWrittenAgainstTheLocalRegistry() throws Exception {
        assertForecastsDecode(local.url(), "local-forecasts");
    }

    @Test
    void decodesForecastsWrittenAgainstApicurio(ApicurioRegistry apicurio) throws Exception {
        assertForecastsDecode(apicurio.url(), "python-forecasts");
    }

    @Test
    void decodesAModelSnapshotWithItsPackedParameters() throws Exception {
        ModelSnapshot snapshot = SampleMessages.snapshot();
        byte[] bytes = serializer(local.url()).serialize("python-model", snapshot);
        JsonNode decoded = python.decode(local.url(), List.of(bytes)).get(0);
        assertThat(decoded.get("version").asLong()).isEqualTo(42);
        assertThat(decoded.at("/config/features").toString()).isEqualTo("[\"humidity\",\"pressure\"]");
        assertThat(decoded.at("/config/optimizer").asText()).isEqualTo("adamw");
        assertThat(decoded.at("/parameters/dtype").asText()).isEqualTo("FLOAT64");
        byte[] parameters = HexFormat.of().parseHex(decoded.at("/parameters/data").asText());
        assertThat(littleEndianDoubles(parameters)).containsExactly(PackedArrayCodec.unpack(snapshot.getParameters()));
        assertThat(decoded.get("created_at").asLong()).isEqualTo(SampleMessages.T0.toEpochMilli());
    }

    private void assertForecastsDecode(String registryUrl, String topic) throws Exception {
        ConfluentAvroSerializer<SpecificRecordBase> serializer = serializer(registryUrl);
        Forecast resolved = SampleMessages.forecast();
        Forecast unresolved = SampleMessages.unresolvedForecast();
        List<JsonNode> decoded = python.decode(registryUrl,
                List.of(serializer.serialize(topic, resolved), serializer.serialize(topic, unresolved)));

        assertThat(decoded).hasSize(2);
        assertSameForecast(decoded.get(0), resolved);
        assertSameForecast(decoded.get(1), unresolved);
    }

    private static void assertSameForecast(JsonNode decoded, Forecast expected) {
        assertThat(decoded.get("series_id").asText()).isEqualTo(expected.getSeriesId());
        assertThat(decoded.get("event_time").asLong()).isEqualTo(expected.getEventTime().toEpochMilli());
        assertThat(decoded.get("horizon").asInt()).isEqualTo(expected.getHorizon());
        assertThat(decoded.get("prediction").asDouble()).isEqualTo(expected.getPrediction());
        assertThat(decoded.get("predictions").size()).isEqualTo(expected.getPredictions().size());
        for (int i = 0; i < expected.getPredictions().size(); i++) {
            assertThat(decoded.get("predictions").get(i).asDouble()).isEqualTo(expected.getPredictions().get(i));
        }
        assertThat(decoded.get("model_version").asLong()).isEqualTo(expected.getModelVersion());
        assertThat(decoded.get("config_hash").asText()).isEqualTo(expected.getConfigHash());
        assertNullableDouble(decoded.get("actual"), expected.getActual());
        assertNullableDouble(decoded.get("error"), expected.getError());
        assertNullableDouble(decoded.get("lower"), expected.getLower());
        assertNullableDouble(decoded.get("upper"), expected.getUpper());
        assertNullableDouble(decoded.get("interval_level"), expected.getIntervalLevel());
        if (expected.getResolvedEventTime() == null) {
            assertThat(decoded.get("resolved_event_time").isNull()).isTrue();
        } else {
            assertThat(decoded.get("resolved_event_time").asLong()).isEqualTo(expected.getResolvedEventTime().toEpochMilli());
        }
    }

    private static void assertNullableDouble(JsonNode decoded, Double expected) {
        if (expected == null) {
            assertThat(decoded.isNull()).isTrue();
        } else {
            assertThat(decoded.asDouble()).isEqualTo(expected);
        }
    }

    private static ConfluentAvroSerializer<SpecificRecordBase> serializer(String registryUrl) {
        SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(registryUrl));
        return new ConfluentAvroSerializer<>(client);
    }

    private static double[] littleEndianDoubles(byte[] bytes) {
        double[] values = new double[bytes.length / 8];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }
}
