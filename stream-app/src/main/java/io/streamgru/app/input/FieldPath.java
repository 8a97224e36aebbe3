package io.streamgru.app.input;

import java.util.List;

/** A dotted path to a (possibly nested) field, e.g. {@code meta.device}: parsed once, resolved per record. */
public record FieldPath(String text, List<String> parts) {

    public static FieldPath parse(String text) {
        if (text == null || text.isBlank() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
            throw new IllegalArgumentException("invalid field path '" + text + "': use names separated by dots");
        }
        return new FieldPath(text, List.of(text.split("\\.")));
    }

    @Override
    public String toString() {
        return text;
    }
}
