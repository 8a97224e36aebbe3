package io.streamgru.schemas.registry;

/** The subject's compatibility rule rejected a new schema (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    public IncompatibleSchemaException(int status, int errorCode, String message) {
        super(status, errorCode, message);
    }
}
