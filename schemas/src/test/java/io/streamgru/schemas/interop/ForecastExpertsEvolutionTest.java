package io.streamgru.schemas.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.SampleMessages;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import io.streamgru.schemas.serde.ConfluentAvroDeserializer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The forecast's fields of the combination of experts ({@code model_forecast}, {@code expert}) are a
 * compatible evolution of the forecast schema as released before them
 * ({@code src/test/resources/schemas-before-experts/Forecast.avsc}, that release's file at commit
 * 49bf734): real registries accept the new schema after the old one under FULL_TRANSITIVE, a reader
 * on the old schema decodes forecasts that carry them, and forecasts written on the old schema read
 * with neither.
 */
@ExtendWith(ApicurioRegistry.class)
class ForecastExpertsEvolutionTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalSchemaRegistryServer local;
    private static Schema old;

    @BeforeAll
    static void startLocalRegistryAndReadTheOldSchema() throws IOException {
        local = LocalSchemaRegistryServer.builder().start();
        try (InputStream in = ForecastExpertsEvolutionTest.class.getResourceAsStream(
                "/schemas-before-experts/Forecast.avsc")) {
            old = new Schema.Parser().parse(in);
        }
        assertThat(old.getField("expert")).as("the release before the combination").isNull();
        assertThat(old.getField("lower")).as("but after intervals").isNotNull();
    }

    @AfterAll
    static void stopLocalRegistry() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void theLocalRegistryAcceptsTheNewSchemaAfterTheOldUnderFullTransitive() throws Exception {
        assertRegistryAcceptsTheEvolution(local.url(), "local-experts-value");
    }

    @Test
    void apicurioAcceptsTheNewSchemaAfterTheOldUnderFullTransitive(ApicurioRegistry apicurio) throws Exception {
        assertRegistryAcceptsTheEvolution(apicurio.url(), "apicurio-experts-value");
    }

    private static void assertRegistryAcceptsTheEvolution(String url, String subject) throws Exception {
        HttpResponse<String> config = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/config/" + subject))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\": \"FULL_TRANSITIVE\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(url));
        int before = client.register(subject, old);
        int now = client.register(subject, Forecast.getClassSchema());
        assertThat(now).isNotEqualTo(before);
        assertThat(client.versions(subject)).hasSize(2);
    }

    @Test
    void aReaderOnTheOldSchemaDecodesAForecastWithItsExpert() throws Exception {
        SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(local.url()));
        Forecast forecast = SampleMessages.forecast();
        assertThat(forecast.getExpert()).isNotNull();
        byte[] framed = new ConfluentAvroSerializer<Forecast>(client).serialize("old-reader", forecast);
        Schema writer = client.getById(ByteBuffer.wrap(framed, 1, 4).getInt());

        GenericRecord read = new GenericDatumReader<GenericRecord>(writer, old)
                .read(null, DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(framed, 5, framed.length), null));

        assertThat(read.getSchema().getField("expert")).isNull();
        assertThat(read.get("prediction")).isEqualTo(forecast.getPrediction());
        assertThat(read.get("lower")).isEqualTo(forecast.getLower());
        assertThat(read.get("interval_level")).isEqualTo(forecast.getIntervalLevel());
    }

    @Test
    void aForecastWrittenOnTheOldSchemaReadsWithNoExpert() throws Exception {
        GenericRecord written = new GenericData.Record(old);
        written.put("series_id", "sensor-1");
        written.put("event_time", SampleMessages.T0.toEpochMilli());
        written.put("horizon", 1);
        written.put("prediction", 2.5);
        written.put("predictions", java.util.List.of());
        written.put("model_version", 3L);
        written.put("config_hash", "c0ffee");
        written.put("drift", false);
        written.put("lower", 2.0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old).write(written, encoder);
        encoder.flush();

        SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(local.url()));
        int id = client.register("new-reader-experts-value", old);
        ByteBuffer framed = ByteBuffer.allocate(5 + bytes.size()).put((byte) 0).putInt(id).put(bytes.toByteArray());
        Forecast read = new ConfluentAvroDeserializer<>(client, Forecast.class).deserialize("new-reader", framed.array());

        assertThat(read.getPrediction()).isEqualTo(2.5);
        assertThat(read.getLower()).isEqualTo(2.0);
        assertThat(read.getModelForecast()).isNull();
        assertThat(read.getExpert()).isNull();
    }
}
