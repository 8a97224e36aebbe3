package io.streamgru.schemas.registry;

import org.apache.avro.Schema;

import java.util.Objects;

/**
 * One version of a subject as the registry reports it.
 *
 * @param subject the subject
 * @param version the version within the subject, from 1
 * @param id      the global schema id (the one in the wire format)
 * @param schema  the schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {

    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
