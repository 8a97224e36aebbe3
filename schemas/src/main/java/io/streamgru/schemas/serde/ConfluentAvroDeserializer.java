package io.streamgru.schemas.serde;

import io.streamgru.schemas.registry.RegistryUnavailableException;
import io.streamgru.schemas.registry.SchemaNotFoundException;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Avro values in the Confluent wire format: checks the magic byte, fetches the writer schema
 * by the id in the header (once per id: with a caching client, the registry is asked once), and
 * decodes the body.
 *
 * <p>Generic mode (default) returns {@code GenericRecord}s (or primitives) in the writer's schema:
 * any schema a producer registered can be read. Specific mode returns the generated class, resolving
 * the writer's schema to the class's schema (Avro schema resolution: older or newer writers work as
 * long as the two are compatible). Specific mode is on when a class is given to the constructor or
 * configured ({@code specific.avro.value.type}/{@code specific.avro.key.type}), or with
 * {@code specific.avro.reader=true}, which reads StreamGRU's own message types by the writer's name.
 *
 * <p>Every failure is a {@link SerdeException} with a {@link SerdeException.Reason}: short or
 * non-Confluent bytes, unknown schema id, corrupt or trailing Avro bytes, incompatible schemas,
 * registry down. {@code null} deserializes to {@code null}. Thread-safe once configured.
 *
 * @param <T> the value type ({@code GenericRecord}/{@code Object} in generic mode)
 */
public class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private Class<?> specificType;
    private boolean specificReader;
    private final Map<Integer, Reading> readings = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation: {@link #configure} must follow, with a registry URL. */
    public ConfluentAvroDeserializer() {
    }

    /** A generic deserializer over {@code client} (which the caller keeps owning). */
    public ConfluentAvroDeserializer(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A deserializer into the generated class {@code type} over {@code client}. */
    public ConfluentAvroDeserializer(SchemaRegistryClient client, Class<T> type) {
        this(client);
        this.specificType = Objects.requireNonNull(type, "type");
        this.specificReader = true;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = SerdeConfig.from(configs);
        if (specificType == null) {
            Optional<Class<?>> configured = config.specificType(isKey);
            specificType = configured.orElse(null);
            specificReader = configured.isPresent() || config.specificAvroReader();
        }
        if (client == null) {
            client = config.createClient();
            ownsClient = true;
        }
        readings.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("ConfluentAvroDeserializer is not configured: call configure() with "
                    + SerdeConfig.SCHEMA_REGISTRY_URL + " or construct it with a SchemaRegistryClient");
        }
        int id = ConfluentWireFormat.schemaId(data);
        Reading reading = readings.get(id);
        if (reading == null) {
            reading = prepare(id);
            readings.put(id, reading);
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                data.length - ConfluentWireFormat.HEADER_SIZE, null);
        Object value;
        try {
            value = reading.reader().read(null, decoder);
        } catch (IOException | RuntimeException e) {
            // EOF, negative lengths, bad union/enum indexes, over-long collections (Avro's own limits).
            throw new SerdeException(SerdeException.Reason.AVRO_DECODE, "record on topic " + topic + " with schema id "
                    + id + " (" + reading.writer().getFullName() + ") is not valid Avro for that schema: " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new SerdeException(SerdeException.Reason.AVRO_DECODE, "record on topic " + topic
                        + " with schema id " + id + " has bytes left after a complete " + reading.writer().getFullName()
                        + ": corrupt, or written with another schema than its id says");
            }
        } catch (IOException e) {
            throw new SerdeException(SerdeException.Reason.AVRO_DECODE, "cannot check the end of the record: " + e, e);
        }
        return (T) value;
    }

    /** Fetches the writer schema of {@code id} and builds the reader for it. Failures are not cached. */
    private Reading prepare(int id) {
        Schema writer;
        try {
            writer = client.getById(id);
        } catch (SchemaNotFoundException e) {
            throw new SerdeException(SerdeException.Reason.UNKNOWN_SCHEMA_ID, "the registry has no schema with id "
                    + id + ": the record was written against another registry, or is corrupt (" + e.getMessage() + ")", e);
        } catch (RegistryUnavailableException e) {
            throw new SerdeException(SerdeException.Reason.REGISTRY_UNAVAILABLE,
                    "cannot fetch schema id " + id + ": " + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            throw new SerdeException(SerdeException.Reason.REGISTRY_ERROR,
                    "cannot fetch schema id " + id + ": " + e.getMessage(), e);
        }
        if (!specificReader) {
            return new Reading(writer, new GenericDatumReader<>(writer, writer));
        }
        Class<?> type = specificType != null ? specificType : StreamGruTypes.forName(writer.getFullName())
                .orElseThrow(() -> new SerdeException(SerdeException.Reason.UNSUPPORTED_TYPE, "schema id " + id
                        + " is a " + writer.getFullName() + ", not one of StreamGRU's message types "
                        + StreamGruTypes.all().stream().map(Class::getSimpleName).toList() + "; configure "
                        + SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE + " (or .key.type) to read it into a generated class"));
        Schema reader = SpecificData.get().getSchema(type);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerdeException(SerdeException.Reason.INCOMPATIBLE_SCHEMA, "schema id " + id + " ("
                    + writer.getFullName() + ") cannot be read as " + type.getName() + ": "
                    + compatibility.getDescription());
        }
        return new Reading(writer, new SpecificDatumReader<>(writer, reader, new TrustedSpecificData(type)));
    }

    /** Gives this instance a client before {@link #configure} (the serde shares one between its halves). */
    void adopt(SchemaRegistryClient client, boolean owns) {
        if (this.client == null) {
            this.client = client;
            this.ownsClient = owns;
        }
    }

    /** The registry client in use (null before configuration). */
    public SchemaRegistryClient client() {
        return client;
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    /** A writer schema and the reader built for it; Avro datum readers are thread-safe. */
    private record Reading(Schema writer, DatumReader<Object> reader) {
    }
}
