package io.streamgru.schemas.registry;

import org.apache.avro.Schema;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Adds the caches a serde needs to any {@link SchemaRegistryClient}, so that after the first record
 * of each schema neither serializing nor deserializing calls the registry.
 *
 * <ul>
 *   <li>id to schema: forever (a registry never changes the schema behind an id);</li>
 *   <li>(subject, schema) to id: forever, shared by {@link #register} and {@link #lookup}, and a
 *       registered schema is also remembered by id;</li>
 *   <li>subject to latest version: for {@code latestTtl} (negative: forever, zero: never), since a
 *       new version can be registered at any time;</li>
 * </ul>
 *
 * <p>Each cache holds at most {@code capacity} entries (least recently used go first). Failures are
 * never cached. Subjects, versions and specific versions are passed through uncached.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Duration latestTtl;
    private final LongSupplier nanoTime;
    private final LruCache<Integer, Schema> schemasById;
    private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;
    private final LruCache<String, Timed> latestBySubject;

    /** Caches for {@code delegate} with the given capacity and TTL of "latest" answers. */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Duration latestTtl) {
        this(delegate, capacity, latestTtl, System::nanoTime);
    }

    /** As above, with the clock used for the TTL (for tests). */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Duration latestTtl,
                                       LongSupplier nanoTime) {
        this.delegate = delegate;
        this.latestTtl = latestTtl;
        this.nanoTime = nanoTime;
        this.schemasById = new LruCache<>(capacity);
        this.idsBySubjectSchema = new LruCache<>(capacity);
        this.latestBySubject = new LruCache<>(capacity);
    }

    /** An HTTP client for {@code config} with caches sized and timed by the same config. */
    public static CachingSchemaRegistryClient overHttp(RegistryClientConfig config) {
        return new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(config), config.cacheCapacity(),
                config.latestCacheTtl());
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Optional<Integer> cached = idsBySubjectSchema.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        int id = delegate.register(subject, schema);
        remember(key, id);
        return id;
    }

    @Override
    public int lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Optional<Integer> cached = idsBySubjectSchema.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        int id = delegate.lookup(subject, schema);
        remember(key, id);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Optional<Schema> cached = schemasById.get(id);
        if (cached.isPresent()) {
            return cached.get();
        }
        Schema schema = delegate.getById(id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        if (!latestTtl.isZero()) {
            Optional<Timed> cached = latestBySubject.get(subject);
            if (cached.isPresent() && (latestTtl.isNegative()
                    || nanoTime.getAsLong() - cached.get().fetchedAtNanos() < latestTtl.toNanos())) {
                return cached.get().latest();
            }
        }
        RegisteredSchema latest = delegate.latest(subject);
        if (!latestTtl.isZero()) {
            latestBySubject.put(subject, new Timed(latest, nanoTime.getAsLong()));
        }
        schemasById.put(latest.id(), latest.schema());
        return latest;
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return delegate.version(subject, version);
    }

    @Override
    public List<String> subjects() {
        return delegate.subjects();
    }

    @Override
    public List<Integer> versions(String subject) {
        return delegate.versions(subject);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void remember(SubjectSchema key, int id) {
        idsBySubjectSchema.put(key, id);
        schemasById.put(id, key.schema());
    }

    @Override
    public String toString() {
        return "Caching(" + delegate + ")";
    }

    /** Avro's Schema equality is structural (names, fields, types, defaults, properties, docs). */
    private record SubjectSchema(String subject, Schema schema) {
    }

    private record Timed(RegisteredSchema latest, long fetchedAtNanos) {
    }
}
