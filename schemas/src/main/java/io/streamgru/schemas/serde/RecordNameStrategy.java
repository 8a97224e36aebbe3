package io.streamgru.schemas.serde;

import org.apache.avro.Schema;

/**
 * The record's full name, e.g. {@code io.streamgru.schemas.Forecast}: one lineage per record type,
 * whichever topics carry it (for topics that mix types).
 */
public final class RecordNameStrategy implements SubjectNameStrategy {

    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return NamedSchemas.fullName(schema, "record");
    }
}
