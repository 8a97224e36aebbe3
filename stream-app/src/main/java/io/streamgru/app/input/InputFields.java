package io.streamgru.app.input;

import java.util.List;

/**
 * Which fields of an input record hold what: the series id (null = the record key), the event
 * time (null = the record timestamp), the features and the target.
 */
public record InputFields(FieldPath key, FieldPath time, List<FieldPath> features, FieldPath target) {

    public static InputFields of(String key, String time, List<String> features, String target) {
        return new InputFields(key == null ? null : FieldPath.parse(key), time == null ? null : FieldPath.parse(time),
                features.stream().map(FieldPath::parse).toList(), FieldPath.parse(target));
    }
}
