package io.streamgru.schemas.serde;

import io.streamgru.schemas.registry.RegisteredSchema;
import io.streamgru.schemas.registry.RegistryUnavailableException;
import io.streamgru.schemas.registry.SchemaNotFoundException;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.SchemaRegistryException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes Avro values in the Confluent wire format: magic byte 0, the schema's registry id
 * (4 bytes, big-endian), the Avro binary encoding.
 *
 * <p>The id comes from the subject the {@link SubjectNameStrategy} names: registered on first use
 * ({@code auto.register.schemas=true}, the default), else looked up, or, with
 * {@code use.latest.version=true}, the subject's latest schema, to which the value is converted.
 * With a caching client (what {@link SerdeConfig#createClient()} builds) only the first value of
 * each schema reaches the registry.
 *
 * <p>Values: generated classes, any {@code GenericRecord} (or other Avro container), and the Java
 * primitives Confluent's serializer accepts. {@code null} serializes to {@code null} (a tombstone).
 * Failures are {@link SerdeException}s. Thread-safe once configured.
 *
 * @param <T> the value type
 */
public class ConfluentAvroSerializer<T> implements Serializer<T> {

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private SerdeConfig config = SerdeConfig.defaults();
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final SchemaRewriter rewriter = new SchemaRewriter();

    /** For Kafka's reflective instantiation: {@link #configure} must follow, with a registry URL. */
    public ConfluentAvroSerializer() {
    }

    /** Uses {@code client} (which the caller keeps owning); {@link #configure} is optional. */
    public ConfluentAvroSerializer(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Uses {@code client} with the given settings. */
    public ConfluentAvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(client);
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = SerdeConfig.from(configs);
        this.isKey = isKey;
        if (client == null) {
            client = config.createClient();
            ownsClient = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("ConfluentAvroSerializer is not configured: call configure() with "
                    + SerdeConfig.SCHEMA_REGISTRY_URL + " or construct it with a SchemaRegistryClient");
        }
        Object datum = data instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : data;
        Schema schema = DatumSchema.of(datum);
        String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
        Schema writerSchema = schema;
        int id;
        if (config.autoRegisterSchemas()) {
            id = registry(subject, () -> client.register(subject, schema));
        } else if (config.useLatestVersion()) {
            RegisteredSchema latest = registry(subject, () -> client.latest(subject));
            id = latest.id();
            if (!latest.schema().equals(schema)) {
                datum = rewriter.rewrite(datum, schema, latest.schema(), writer(schema, datum));
                writerSchema = latest.schema();
            }
        } else {
            id = registry(subject, () -> client.lookup(subject, schema));
        }
        return encode(id, writerSchema, datum, subject);
    }

    private byte[] encode(int id, Schema schema, Object datum, String subject) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        ConfluentWireFormat.writeHeader(out, id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer(schema, datum).write(datum, encoder);
            encoder.flush();
        } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            // Avro reports a value that breaks its schema (null in a required field, wrong type) this way.
            throw new SerdeException(SerdeException.Reason.AVRO_ENCODE, "cannot write a " + schema.getFullName()
                    + " for subject " + subject + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private DatumWriter<Object> writer(Schema schema, Object datum) {
        return writers.computeIfAbsent(schema, s -> datum instanceof SpecificRecordBase specific
                // The record's own model carries its logical-type conversions (Instant for timestamps).
                ? new SpecificDatumWriter<>(s, specific.getSpecificData())
                : new GenericDatumWriter<>(s, GenericData.get()));
    }

    private <R> R registry(String subject, java.util.function.Supplier<R> call) {
        try {
            return call.get();
        } catch (RegistryUnavailableException e) {
            throw new SerdeException(SerdeException.Reason.REGISTRY_UNAVAILABLE,
                    "subject " + subject + ": " + e.getMessage(), e);
        } catch (SchemaNotFoundException e) {
            throw new SerdeException(SerdeException.Reason.SCHEMA_NOT_REGISTERED, "subject " + subject + " has no "
                    + (config.useLatestVersion() ? "versions" : "such schema") + " and "
                    + SerdeConfig.AUTO_REGISTER_SCHEMAS + "=false: " + e.getMessage(), e);
        } catch (io.streamgru.schemas.registry.IncompatibleSchemaException e) {
            throw new SerdeException(SerdeException.Reason.INCOMPATIBLE_SCHEMA, "subject " + subject + ": "
                    + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            throw new SerdeException(SerdeException.Reason.REGISTRY_ERROR, "subject " + subject + ": " + e.getMessage(), e);
        }
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
}
