package io.streamgru.schemas.serde;

import org.apache.avro.Conversion;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link SpecificData} that instantiates exactly the generated classes of one root type (the
 * root record and the records, enums and fixeds nested in its schema) and nothing else.
 *
 * <p>Why: since 1.12.1 Avro refuses to load classes by name unless their packages are listed in the
 * JVM-wide system property {@code org.apache.avro.SERIALIZABLE_PACKAGES} (CVE-2024-47561
 * hardening), and a reader resolving the nested types of a generated class does load them by name.
 * Rather than widen a JVM-global allow-list from a library, the deserializer names its classes
 * explicitly: the names come from the reader's own compiled schema, never from the data or the
 * registry, so nothing an attacker writes can make it load a class.
 */
final class TrustedSpecificData extends SpecificData {

    private final Map<String, Class<?>> classes = new HashMap<>();

    TrustedSpecificData(Class<?> root) {
        super(root.getClassLoader());
        SpecificData model = SpecificData.getForClass(root);
        for (Conversion<?> conversion : model.getConversions()) {
            addLogicalTypeConversion(conversion);
        }
        collect(SpecificData.get().getSchema(root), root.getClassLoader());
    }

    @Override
    public Class getClass(Schema schema) {
        return switch (schema.getType()) {
            // Unknown named types read as generic values instead of being looked up by name.
            case RECORD, ENUM, FIXED -> classes.get(schema.getFullName());
            default -> super.getClass(schema);
        };
    }

    private void collect(Schema schema, ClassLoader loader) {
        switch (schema.getType()) {
            case RECORD -> {
                if (register(schema, loader)) {
                    schema.getFields().forEach(field -> collect(field.schema(), loader));
                }
            }
            case ENUM, FIXED -> register(schema, loader);
            case ARRAY -> collect(schema.getElementType(), loader);
            case MAP -> collect(schema.getValueType(), loader);
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, loader));
            default -> {
            }
        }
    }

    /** Maps a named type to its generated class; false if already mapped (recursive schemas). */
    private boolean register(Schema schema, ClassLoader loader) {
        String name = schema.getFullName();
        if (classes.containsKey(name)) {
            return false;
        }
        try {
            Class<?> type = Class.forName(name, false, loader);
            boolean generated = schema.getType() == Schema.Type.ENUM ? type.isEnum()
                    : SpecificRecord.class.isAssignableFrom(type) || org.apache.avro.generic.GenericFixed.class.isAssignableFrom(type);
            if (!generated) {
                throw new IllegalArgumentException(name + " is not a generated Avro class");
            }
            classes.put(name, type);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no generated class " + name + " for a type nested in the reader schema", e);
        }
        return true;
    }
}
