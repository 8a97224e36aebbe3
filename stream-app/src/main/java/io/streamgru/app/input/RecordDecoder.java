package io.streamgru.app.input;

/**
 * Turns an input record's key and value bytes into an {@link Observation}, or says precisely why
 * it cannot ({@link InvalidRecordException}). One implementation per input format.
 */
public interface RecordDecoder {

    /**
     * @param topic       the record's topic (for registry subject lookups)
     * @param key         record key bytes (may be null)
     * @param value       record value bytes (may be null)
     * @param timestamp   the record timestamp (event time when no time field is configured)
     * @param into        receives the decoded values
     */
    void decode(String topic, byte[] key, byte[] value, long timestamp, Observation into) throws InvalidRecordException;
}
