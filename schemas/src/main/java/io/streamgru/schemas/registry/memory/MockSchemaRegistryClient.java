package io.streamgru.schemas.registry.memory;

import io.streamgru.schemas.registry.RegisteredSchema;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;

import java.util.List;

/**
 * A {@link SchemaRegistryClient} over an {@link InMemorySchemaRegistry}: no network, same answers and
 * the same exceptions (with their HTTP statuses and error codes) as a real registry.
 */
public final class MockSchemaRegistryClient implements SchemaRegistryClient {

    private final InMemorySchemaRegistry registry;

    /** A client over a fresh, private registry. */
    public MockSchemaRegistryClient() {
        this(new InMemorySchemaRegistry());
    }

    /** A client over {@code registry}, which other clients (or a local server) may share. */
    public MockSchemaRegistryClient(InMemorySchemaRegistry registry) {
        this.registry = registry;
    }

    /** The store behind this client. */
    public InMemorySchemaRegistry registry() {
        return registry;
    }

    @Override
    public int register(String subject, Schema schema) {
        return registry.register(subject, schema).id();
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return registry.lookup(subject, schema).id();
    }

    @Override
    public Schema getById(int id) {
        return registry.schemaById(id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registry.latest(subject);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registry.version(subject, version);
    }

    @Override
    public List<String> subjects() {
        return registry.subjects();
    }

    @Override
    public List<Integer> versions(String subject) {
        return registry.versions(subject);
    }
}
