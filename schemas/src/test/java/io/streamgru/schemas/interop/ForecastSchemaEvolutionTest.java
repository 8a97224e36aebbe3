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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Today's forecast schema is a compatible evolution of every forecast schema released before it: for
 * each release kept under {@code src/test/resources/schemas-before-*} (that release's own file), real
 * registries accept today's schema after it under FULL_TRANSITIVE (and refuse an incompatible change,
 * so the check is real), a reader on the old schema decodes today's forecasts with every field it
 * knows intact, and a forecast written on the old schema reads today with its fields intact and
 * every newer field at its default. A release that adds fields adds its old schema to {@link #releases()}.
 */
@ExtendWith(ApicurioRegistry.class)
class ForecastSchemaEvolutionTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalSchemaRegistryServer local;

    /** The schemas released before a change of the forecast, and a field each lacks that today's has. */
    static Stream<Release> releases() {
        return Stream.of(new Release("schemas-before-intervals", "lower"),
                new Release("schemas-before-experts", "expert"));
    }

    record Release(String directory, String newerField) {

        Schema schema() throws IOException {
            try (InputStream in = ForecastSchemaEvolutionTest.class.getResourceAsStream(
                    "/" + directory + "/Forecast.avsc")) {
                Schema old = new Schema.Parser().parse(in);
                assertThat(old.getField(newerField)).as("%s predates %s", directory, newerField).isNull();
                return old;
            }
        }

        @Override
        public String toString() {
            return directory;
        }
    }

    @BeforeAll
    static void startLocalRegistry() {
        local = LocalSchemaRegistryServer.builder().start();
    }

    @AfterAll
    static void stopLocalRegistry() {
        if (local != null) {
            local.close();
        }
    }

    @ParameterizedTest
    @MethodSource("releases")
    void theLocalRegistryAcceptsTodaysSchemaAfterTheOldUnderFullTransitive(Release release) throws Exception {
        assertRegistryAcceptsTheEvolution(local.url(), "local-" + release.directory() + "-value", release.schema());
    }

    @ParameterizedTest
    @MethodSource("releases")
    void apicurioAcceptsTodaysSchemaAfterTheOldUnderFullTransitive(Release release, ApicurioRegistry apicurio)
            throws Exception {
        assertRegistryAcceptsTheEvolution(apicurio.url(), "apicurio-" + release.directory() + "-value",
                release.schema());
    }

    @Test
    void theRegistryRefusesAChangeOldReadersCouldNotFollow() throws Exception {
        String subject = "incompatible-value";
        SchemaRegistryClient client = fullTransitive(local.url(), subject);
        client.register(subject, Forecast.getClassSchema());
        Schema current = Forecast.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>(current.getFields().stream()
                .map(f -> new Schema.Field(f, f.schema())).toList());
        fields.add(new Schema.Field("confidence", Schema.create(Schema.Type.DOUBLE), "required, no default", null));
        Schema incompatible = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                fields);

        assertThatThrownBy(() -> client.register(subject, incompatible)).isInstanceOf(IncompatibleSchemaException.class);
    }

    @ParameterizedTest
    @MethodSource("releases")
    void aReaderOnTheOldSchemaDecodesTodaysForecast(Release release) throws Exception {
        Schema old = release.schema();
        SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(local.url()));
        Forecast forecast = SampleMessages.forecast();
        assertThat(forecast.get(release.newerField())).as("the sample carries the newer field").isNotNull();
        byte[] framed = new ConfluentAvroSerializer<Forecast>(client).serialize("old-reader", forecast);
        Schema writer = client.getById(ByteBuffer.wrap(framed, 1, 4).getInt());

        GenericRecord read = new GenericDatumReader<GenericRecord>(writer, old)
                .read(null, DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(framed, 5, framed.length), null));

        assertThat(read.getSchema().getField(release.newerField())).isNull();
        for (Schema.Field field : old.getFields()) {
            assertThat(plain(read.get(field.name()))).as(field.name()).isEqualTo(plain(forecast.get(field.name())));
        }
    }

    @ParameterizedTest
    @MethodSource("releases")
    void aForecastWrittenOnTheOldSchemaReadsTodayWithTheNewerFieldsAtTheirDefaults(Release release) throws Exception {
        Schema old = release.schema();
        Forecast sample = SampleMessages.forecast();
        GenericRecord written = new GenericData.Record(old);
        for (Schema.Field field : old.getFields()) {
            written.put(field.name(), plain(sample.get(field.name())));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old).write(written, encoder);
        encoder.flush();
        SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(local.url()));
        int id = client.register("new-reader-" + release.directory() + "-value", old);
        ByteBuffer framed = ByteBuffer.allocate(5 + bytes.size()).put((byte) 0).putInt(id).put(bytes.toByteArray());

        Forecast read = new ConfluentAvroDeserializer<>(client, Forecast.class).deserialize("new-reader", framed.array());

        for (Schema.Field field : Forecast.getClassSchema().getFields()) {
            Object expected = old.getField(field.name()) != null ? plain(sample.get(field.name()))
                    : plain(GenericData.get().getDefaultValue(field));
            assertThat(plain(read.get(field.name()))).as(field.name()).isEqualTo(expected);
        }
    }

    /** A value as both kinds of reader see it: strings as String, times as epoch milliseconds, arrays as lists. */
    private static Object plain(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Instant time) {
            return time.toEpochMilli();
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return value;
    }

    private static void assertRegistryAcceptsTheEvolution(String url, String subject, Schema old) throws Exception {
        SchemaRegistryClient client = fullTransitive(url, subject);
        int before = client.register(subject, old);
        int now = client.register(subject, Forecast.getClassSchema());
        assertThat(now).isNotEqualTo(before);
        assertThat(client.versions(subject)).hasSize(2);
    }

    /** A client of the registry at {@code url}, with {@code subject} set to FULL_TRANSITIVE compatibility. */
    private static SchemaRegistryClient fullTransitive(String url, String subject) throws Exception {
        HttpResponse<String> config = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/config/" + subject))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\": \"FULL_TRANSITIVE\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        return CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(url));
    }
}
