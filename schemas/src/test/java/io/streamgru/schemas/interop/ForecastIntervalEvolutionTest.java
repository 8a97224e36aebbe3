package io.streamgru.schemas.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.SampleMessages;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.IncompatibleSchemaException;
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
 * The forecast's interval fields ({@code lower}, {@code upper}, {@code interval_level}) are a
 * compatible evolution of the forecast schema as released before them
 * ({@code src/test/resources/schemas-before-intervals/Forecast.avsc}, a copy of that release's
 * file): real registries accept the new schema after the old one under FULL_TRANSITIVE (and refuse an
 * incompatible one, so the check is real), a reader on the old schema decodes forecasts with
 * intervals, and forecasts written on the old schema read with no interval.
 */
@ExtendWith(ApicurioRegistry.class)
class ForecastIntervalEvolutionTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalSchemaRegistryServer local;
    private static Schema old;

    @BeforeAll
    static void startLocalRegistryAndReadTheOldSchema() throws IOException {
        local = LocalSchemaRegistryServer.builder().start();
        try (InputStream in = ForecastIntervalEvolutionTest.class.getResourceAsStream(
                "/schemas-before-intervals/Forecast.avsc")) {
            old = new Schema.Parser().parse(in);
        }
        assertThat(old.getField("lower")).as("the release before intervals").isNull();
    }

    @AfterAll
    static void stopLocalRegistry() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void theLocalRegistryAcceptsTheNewSchemaAfterTheOldUnderFullTransitive() throws Exception {
        assertRegistryAcceptsTheEvolution(local.url(), "local-intervals-value");
    }

    @Test
    void apicurioAcceptsTheNewSchemaAfterTheOldUnderFullTransitive(ApicurioRegistry apicurio) throws Exception {
        assertRegistryAcceptsTheEvolution(apicurio.url(), "apicurio-intervals-value");
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
        // The same registry refuses a change old readers could not follow: the check above is real.
        Schema current = Forecast.getClassSchema();
        java.util.List<Schema.Field> fields = new java.util.ArrayList<>(current.getFields().stream()
                .map(f -> new Schema.Field(f, f.schema())).toList());
        fields.add(new Schema.Field("confidence", Schema.create(Schema.Type.DOUBLE), "required, no default", null));
        Schema incompatible = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                fields);
        assertThatThrownBy(() -> client.register(subject, incompatible)).isInstanceOf(IncompatibleSchemaException.class);
    }

    @Test
    void aReaderOnTheOldSchemaDecodesAForecastWithAnInterval() throws Exception {
        SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(local.url()));
        Forecast forecast = SampleMessages.forecast();
        assertThat(forecast.getLower()).isNotNull();
        byte[] framed = new ConfluentAvroSerializer<Forecast>(client).serialize("old-reader", forecast);
        int id = ByteBuffer.wrap(framed, 1, 4).getInt();
        Schema writer = client.getById(id);

        byte[] body = Arrays.copyOfRange(framed, 5, framed.length);
        GenericRecord read = new GenericDatumReader<GenericRecord>(writer, old)
                .read(null, DecoderFactory.get().binaryDecoder(body, null));

        assertThat(read.getSchema().getField("lower")).isNull();
        assertThat(read.get("series_id").toString()).isEqualTo(forecast.getSeriesId());
        assertThat(read.get("prediction")).isEqualTo(forecast.getPrediction());
        assertThat(read.get("actual")).isEqualTo(forecast.getActual());
        assertThat(read.get("drift")).isEqualTo(forecast.getDrift());
        assertThat(read.get("config_hash").toString()).isEqualTo(forecast.getConfigHash());
    }

    @Test
    void aForecastWrittenOnTheOldSchemaReadsWithNoInterval() throws Exception {
        GenericRecord written = new GenericData.Record(old);
        written.put("series_id", "sensor-1");
        written.put("event_time", SampleMessages.T0.toEpochMilli());
        written.put("horizon", 1);
        written.put("prediction", 2.5);
        written.put("predictions", java.util.List.of());
        written.put("model_version", 3L);
        written.put("config_hash", "c0ffee");
        written.put("drift", false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old).write(written, encoder);
        encoder.flush();

        SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(local.url()));
        int id = client.register("new-reader-value", old);
        ByteBuffer framed = ByteBuffer.allocate(5 + bytes.size()).put((byte) 0).putInt(id).put(bytes.toByteArray());
        Forecast read = new ConfluentAvroDeserializer<>(client, Forecast.class).deserialize("new-reader", framed.array());

        assertThat(read.getPrediction()).isEqualTo(2.5);
        assertThat(read.getLower()).isNull();
        assertThat(read.getUpper()).isNull();
        assertThat(read.getIntervalLevel()).isNull();
    }
}
