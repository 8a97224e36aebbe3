package io.streamgru.schemas.registry;

import org.apache.avro.Schema;

import java.util.List;

/**
 * The Schema Registry operations StreamGRU uses, named after the REST calls they make. Ids are the
 * registry's global schema ids, the ones written after the magic byte of the wire format.
 *
 * <p>Every method throws an unchecked {@link SchemaRegistryException} (or one of its subtypes) on
 * failure; implementations are thread-safe.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}), or
     * returns the id it already has there. Registering is idempotent.
     *
     * @throws IncompatibleSchemaException if the subject's compatibility rule rejects the schema
     */
    int register(String subject, Schema schema);

    /**
     * The id of {@code schema} if it is already registered under {@code subject}
     * ({@code POST /subjects/{subject}}); never registers.
     *
     * @throws SchemaNotFoundException if the subject or the schema under it does not exist
     */
    int lookup(String subject, Schema schema);

    /**
     * The schema with global id {@code id} ({@code GET /schemas/ids/{id}}).
     *
     * @throws SchemaNotFoundException (error code 40403) if no schema has that id
     */
    Schema getById(int id);

    /** The newest version under {@code subject} ({@code GET /subjects/{subject}/versions/latest}). */
    RegisteredSchema latest(String subject);

    /** Version {@code version} of {@code subject} ({@code GET /subjects/{subject}/versions/{version}}). */
    RegisteredSchema version(String subject, int version);

    /** All subjects ({@code GET /subjects}). */
    List<String> subjects();

    /** The versions registered under {@code subject}, ascending ({@code GET /subjects/{subject}/versions}). */
    List<Integer> versions(String subject);

    /** Releases resources the client owns; the default has none. */
    @Override
    default void close() {
    }
}
