package io.streamgru.app.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.input.InvalidRecordException.Reason;
import org.junit.jupiter.api.Test;

/** The summary of the invalid records a replay or an evaluation of a topic skipped. */
class InvalidRecordsTest {

    @Test
    void theSummaryCountsEachReasonAndQuotesTheFirstRecordSkipped() {
        InvalidRecords invalid = new InvalidRecords();
        // NON_NUMERIC comes after NULL_VALUE among the reasons, but was met first.
        invalid.add(new InvalidRecordException(Reason.NON_NUMERIC, "feature 'load' = 'x' is not a number"), "t", 0, 2400);
        invalid.add(new InvalidRecordException(Reason.NULL_VALUE, "record value is null"), "t", 0, 2409);
        invalid.add(new InvalidRecordException(Reason.NULL_VALUE, "record value is null"), "t", 1, 5);

        assertThat(invalid.describe())
                .isEqualTo("3 (NULL_VALUE 2, NON_NUMERIC 1; first: t-0@2400: feature 'load' = 'x' is not a number)");
    }

    @Test
    void aQuotedValueIsShownOnOneLineAndCut() {
        InvalidRecords invalid = new InvalidRecords();
        invalid.add(new InvalidRecordException(Reason.NON_NUMERIC, "'" + "y\n".repeat(100_000) + "'"), "t", 0, 1);

        assertThat(invalid.describe()).doesNotContain("\n").hasSizeLessThan(InvalidRecordException.MAX_MESSAGE_CHARS + 60);
    }
}
