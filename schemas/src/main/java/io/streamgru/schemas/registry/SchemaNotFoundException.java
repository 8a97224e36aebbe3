package io.streamgru.schemas.registry;

/**
 * The registry has no such subject ({@value SchemaRegistryException#SUBJECT_NOT_FOUND}), version
 * ({@value SchemaRegistryException#VERSION_NOT_FOUND}) or schema
 * ({@value SchemaRegistryException#SCHEMA_NOT_FOUND}); {@link #errorCode()} says which. Never retried:
 * asking again gives the same answer.
 */
public class SchemaNotFoundException extends SchemaRegistryException {

    public SchemaNotFoundException(int status, int errorCode, String message) {
        super(status, errorCode, message);
    }
}
