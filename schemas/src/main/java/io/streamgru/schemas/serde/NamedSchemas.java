package io.streamgru.schemas.serde;

import org.apache.avro.Schema;

/** The full name of a named schema, for the strategies that need one. */
final class NamedSchemas {

    private NamedSchemas() {
    }

    static String fullName(Schema schema, String strategy) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getFullName();
            default -> throw new SerdeException(SerdeException.Reason.UNSUPPORTED_TYPE, "the " + strategy
                    + " subject name strategy needs a named schema (record, enum or fixed), not " + schema.getType());
        };
    }
}
