package io.streamgru.schemas.serde;

import io.streamgru.schemas.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/**
 * A {@link ConfluentAvroSerializer} and a {@link ConfluentAvroDeserializer} as one Kafka
 * {@link Serde}, e.g. for Kafka Streams:
 *
 * <pre>{@code
 * Serde<Forecast> forecasts = ConfluentAvroSerde.specific(Forecast.class, client);
 * Serde<GenericRecord> any = ConfluentAvroSerde.generic(client);
 * // or reflectively, with schema.registry.url (and specific.avro.value.type) in the config:
 * props.put("default.value.serde", ConfluentAvroSerde.class);
 * }</pre>
 *
 * @param <T> the value type
 */
public class ConfluentAvroSerde<T> implements Serde<T> {

    private final ConfluentAvroSerializer<T> serializer;
    private final ConfluentAvroDeserializer<T> deserializer;

    /** For Kafka's reflective instantiation: {@link #configure} must follow. */
    public ConfluentAvroSerde() {
        this(new ConfluentAvroSerializer<>(), new ConfluentAvroDeserializer<>());
    }

    private ConfluentAvroSerde(ConfluentAvroSerializer<T> serializer, ConfluentAvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A serde for the generated class {@code type} over {@code client} (owned by the caller). */
    public static <T> ConfluentAvroSerde<T> specific(Class<T> type, SchemaRegistryClient client) {
        return new ConfluentAvroSerde<>(new ConfluentAvroSerializer<>(client),
                new ConfluentAvroDeserializer<>(client, type));
    }

    /** A serde for {@code GenericRecord}s of any schema over {@code client} (owned by the caller). */
    public static ConfluentAvroSerde<GenericRecord> generic(SchemaRegistryClient client) {
        return new ConfluentAvroSerde<>(new ConfluentAvroSerializer<>(client), new ConfluentAvroDeserializer<>(client));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (serializer.client() == null && deserializer.client() == null) {
            // One client, so both halves share its caches: the serializer owns (and closes) it.
            SchemaRegistryClient client = SerdeConfig.from(configs).createClient();
            serializer.adopt(client, true);
            deserializer.adopt(client, false);
        }
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
