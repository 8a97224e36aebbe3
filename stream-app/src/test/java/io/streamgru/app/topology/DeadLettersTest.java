package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.input.InvalidRecordException.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The headers of a dead letter. */
class DeadLettersTest {

    @Test
    void theHeaderCarriesTheSameMessage() {
        InvalidRecordException e = new InvalidRecordException(Reason.CORRUPT, "bad\nvalue");
        byte[] header = DeadLetters.headers(e, null).lastHeader(DeadLetters.MESSAGE).value();

        assertThat(new String(header, StandardCharsets.UTF_8)).isEqualTo("bad\\nvalue");
    }
}
