package io.streamgru.app.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.input.InvalidRecordException.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What dead letters, log lines and summaries say of a record whose error quotes its input back. */
class InvalidRecordExceptionTest {

    @Test
    void aMillionCharacterValueGivesAMessageOfAThousand() {
        String value = "x".repeat(1_000_000);
        String message = new InvalidRecordException(Reason.NON_NUMERIC,
                "feature 'load' = '" + value + "' is not a number").oneLineMessage();

        assertThat(message).startsWith("feature 'load' = 'xxx").endsWith("…");
        assertThat(message.length()).isEqualTo(InvalidRecordException.MAX_MESSAGE_CHARS + 1);
    }

    @Test
    void aValueWithLineBreaksStaysOnOneLineSoItCannotForgeLogLines() {
        String message = new InvalidRecordException(Reason.NON_NUMERIC,
                "feature 'load' = '1\n12:00:00.000 ERROR forged\r\tline\u0007' is not a number").oneLineMessage();

        assertThat(message).doesNotContain("\n", "\r", "\t", "\u0007")
                .isEqualTo("feature 'load' = '1\\n12:00:00.000 ERROR forged\\r\\tline\\u0007' is not a number");
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String message = new InvalidRecordException(Reason.NON_NUMERIC,
                "x".repeat(InvalidRecordException.MAX_MESSAGE_CHARS - 1) + "😀".repeat(10)).oneLineMessage();

        assertThat(message).endsWith("x…");
        assertThat(new String(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(message);
    }

    @Test
    void backslashesAndInvisibleCharactersAreEscapedSoNoValuePassesForAnEscapeOrHidesText() {
        String message = new InvalidRecordException(Reason.NON_NUMERIC,
                "'a\\nb' '\u2028' '\u202e'").oneLineMessage();

        assertThat(message).isEqualTo("'a\\\\nb' '\\u2028' '\\u202e'");
    }

    @Test
    void anEscapeIsNeverCutInTwo() {
        String message = new InvalidRecordException(Reason.NON_NUMERIC,
                "x".repeat(InvalidRecordException.MAX_MESSAGE_CHARS - 1) + "\n" + "y").oneLineMessage();

        assertThat(message).isEqualTo("x".repeat(InvalidRecordException.MAX_MESSAGE_CHARS - 1) + "…");
    }
}
