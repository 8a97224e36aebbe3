package io.streamgru.schemas.interop;

import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.ModelSnapshot;
import io.streamgru.schemas.SampleMessages;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.HttpSchemaRegistryClient;
import io.streamgru.schemas.registry.RegisteredSchema;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.SchemaNotFoundException;
import io.streamgru.schemas.serde.ConfluentAvroSerde;
import io.streamgru.schemas.serde.ConfluentWireFormat;
import io.streamgru.schemas.serde.SerdeConfig;
import io.streamgru.schemas.serde.SerdeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our client and serde against a real, independent registry implementation: Apicurio Registry
 * 2.6.13 through its Confluent-compatible API ({@code /apis/ccompat/v7}), started from its Maven
 * Central distribution.
 */
@ExtendWith(ApicurioRegistry.class)
class ApicurioInteropTest {

    private static HttpSchemaRegistryClient client(ApicurioRegistry apicurio) {
        return new HttpSchemaRegistryClient(RegistryClientConfig.of(apicurio.url()));
    }

    @Test
    void registerLookupGetByIdAndLatest(ApicurioRegistry apicurio) {
        HttpSchemaRegistryClient client = client(apicurio);
        Schema forecast = Forecast.getClassSchema();
        int id = client.register("apicurio-forecasts-value", forecast);
        assertThat(client.register("apicurio-forecasts-value", forecast)).as("idempotent").isEqualTo(id);
        assertThat(client.lookup("apicurio-forecasts-value", forecast)).isEqualTo(id);
        assertThat(client.getById(id)).isEqualTo(forecast);
        RegisteredSchema latest = client.latest("apicurio-forecasts-value");
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.schema()).isEqualTo(forecast);
        assertThat(client.versions("apicurio-forecasts-value")).containsExactly(1);
        assertThat(client.subjects()).contains("apicurio-forecasts-value");
    }

    @Test
    void anUnknownIdIs40403AndOurClearException(ApicurioRegistry apicurio) {
        assertThatThrownBy(() -> client(apicurio).getById(987654))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.getMessage()).contains("/apis/ccompat/v7/schemas/ids/987654 -> 404 (error_code 40403)");
                });
    }

    @Test
    void theSerdeWritesAndReadsBackEveryKindOfRecordThroughApicurio(ApicurioRegistry apicurio) {
        Map<String, Object> config = new HashMap<>(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, apicurio.url(),
                SerdeConfig.SPECIFIC_AVRO_READER, true));
        ConfluentAvroSerde<Object> serde = new ConfluentAvroSerde<>();
        serde.configure(config, false);
        for (Object message : SampleMessages.all()) {
            String topic = "apicurio-" + message.getClass().getSimpleName();
            byte[] bytes = serde.serializer().serialize(topic, message);
            assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(message);
        }
        serde.close();
    }

    @Test
    void theIdInTheBytesIsApicuriosAndAFreshClientResolvesIt(ApicurioRegistry apicurio) {
        CachingSchemaRegistryClient writerSide = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(apicurio.url()));
        byte[] bytes = ConfluentAvroSerde.specific(ModelSnapshot.class, writerSide).serializer()
                .serialize("apicurio-model", SampleMessages.snapshot());
        int id = ConfluentWireFormat.schemaId(bytes);
        assertThat(id).isEqualTo(client(apicurio).lookup("apicurio-model-value", ModelSnapshot.getClassSchema()));

        // A reader that never saw the writer's cache fetches the schema from Apicurio by id.
        GenericRecord generic = ConfluentAvroSerde.generic(client(apicurio)).deserializer().deserialize("apicurio-model", bytes);
        assertThat(generic.get("version")).isEqualTo(42L);
        assertThat(ConfluentAvroSerde.specific(ModelSnapshot.class, client(apicurio)).deserializer()
                .deserialize("apicurio-model", bytes)).isEqualTo(SampleMessages.snapshot());
    }

    @Test
    void aRecordWithAnIdApicurioDoesNotKnowIsRoutedAsUnknownSchemaId(ApicurioRegistry apicurio) {
        byte[] bytes = {0, 0, 0x0f, 0x42, 0x3f, 2, 'x'};
        assertThatThrownBy(() -> ConfluentAvroSerde.specific(Forecast.class, client(apicurio)).deserializer()
                .deserialize("apicurio-forecasts", bytes))
                .isInstanceOfSatisfying(SerdeException.class,
                        e -> assertThat(e.reason()).isEqualTo(SerdeException.Reason.UNKNOWN_SCHEMA_ID));
    }

    @Test
    void startsWithinTheBudget(ApicurioRegistry apicurio) {
        assertThat(apicurio.startTime()).isLessThan(java.time.Duration.ofSeconds(90));
    }
}
