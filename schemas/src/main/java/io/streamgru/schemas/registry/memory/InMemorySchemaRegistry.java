package io.streamgru.schemas.registry.memory;

import io.streamgru.schemas.registry.CompatibilityLevel;
import io.streamgru.schemas.registry.IncompatibleSchemaException;
import io.streamgru.schemas.registry.RegisteredSchema;
import io.streamgru.schemas.registry.SchemaNotFoundException;
import io.streamgru.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The state of a Schema Registry, in memory, with the registry's semantics: ids are global and
 * start at 1; the same schema gets the same id in every subject; registering an existing schema in
 * a subject returns its id without a new version; a new version must pass the subject's
 * compatibility rule (default {@link CompatibilityLevel#BACKWARD}, as in Confluent's registry).
 * Failures are the exceptions, statuses and error codes the REST API would report.
 *
 * <p>Schemas are identified by their full JSON ({@link Schema#toString()}), so a change of
 * documentation is a new version, as in the real registry. Thread-safe; every method is atomic.
 */
public final class InMemorySchemaRegistry {

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<String, List<Integer>> subjectVersions = new LinkedHashMap<>();
    private final Map<String, CompatibilityLevel> subjectCompatibility = new HashMap<>();
    private CompatibilityLevel globalCompatibility = CompatibilityLevel.BACKWARD;

    /**
     * Registers {@code schema} under {@code subject}, or finds it there.
     *
     * @throws IncompatibleSchemaException if the subject's rule rejects it
     */
    public synchronized RegisteredSchema register(String subject, Schema schema) {
        Optional<RegisteredSchema> existing = find(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<Integer> versions = subjectVersions.getOrDefault(subject, List.of());
        List<Schema> previous = versions.stream().map(this::schemaAt).toList();
        CompatibilityLevel level = compatibility(subject);
        Optional<String> violation = level.violation(schema, previous);
        if (violation.isPresent()) {
            throw new IncompatibleSchemaException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                            + "\": " + violation.get());
        }
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), text -> {
            schemasById.add(schema);
            return schemasById.size();
        });
        subjectVersions.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return new RegisteredSchema(subject, subjectVersions.get(subject).size(), id, schemaAt(id));
    }

    /**
     * The version of {@code subject} that is {@code schema}.
     *
     * @throws SchemaNotFoundException 40401 if the subject does not exist, 40403 if the schema is
     *     not registered under it
     */
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        requireSubject(subject);
        return find(subject, schema).orElseThrow(() -> new SchemaNotFoundException(404,
                SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found under subject \"" + subject + "\""));
    }

    /** The schema with global id {@code id}, or 40403. */
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw new SchemaNotFoundException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema " + id + " not found");
        }
        return schemaAt(id);
    }

    /** The newest version of {@code subject}, or 40401. */
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = requireSubject(subject);
        return version(subject, versions.size());
    }

    /** Version {@code version} (from 1) of {@code subject}: 40401 or 40402 if absent. */
    public synchronized RegisteredSchema version(String subject, int version) {
        List<Integer> versions = requireSubject(subject);
        if (version < 1 || version > versions.size()) {
            throw new SchemaNotFoundException(404, SchemaRegistryException.VERSION_NOT_FOUND,
                    "Version " + version + " not found for subject \"" + subject + "\"");
        }
        int id = versions.get(version - 1);
        return new RegisteredSchema(subject, version, id, schemaAt(id));
    }

    /** All subjects, in registration order. */
    public synchronized List<String> subjects() {
        return List.copyOf(subjectVersions.keySet());
    }

    /** The versions of {@code subject} (1..n), or 40401. */
    public synchronized List<Integer> versions(String subject) {
        return IntStream.rangeClosed(1, requireSubject(subject).size()).boxed().toList();
    }

    /** The rule for new versions of {@code subject}: its own, else the global one. */
    public synchronized CompatibilityLevel compatibility(String subject) {
        return subjectCompatibility.getOrDefault(subject, globalCompatibility);
    }

    /** The global rule. */
    public synchronized CompatibilityLevel compatibility() {
        return globalCompatibility;
    }

    /** Sets the global rule. */
    public synchronized void setCompatibility(CompatibilityLevel level) {
        globalCompatibility = level;
    }

    /** Sets {@code subject}'s own rule. */
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        subjectCompatibility.put(subject, level);
    }

    private Optional<RegisteredSchema> find(String subject, Schema schema) {
        Integer id = idsBySchemaText.get(schema.toString());
        List<Integer> versions = subjectVersions.get(subject);
        if (id == null || versions == null) {
            return Optional.empty();
        }
        int index = versions.indexOf(id);
        return index < 0 ? Optional.empty() : Optional.of(new RegisteredSchema(subject, index + 1, id, schemaAt(id)));
    }

    private List<Integer> requireSubject(String subject) {
        List<Integer> versions = subjectVersions.get(subject);
        if (versions == null) {
            throw new SchemaNotFoundException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject \"" + subject + "\" not found");
        }
        return versions;
    }

    private Schema schemaAt(int id) {
        return schemasById.get(id - 1);
    }
}
