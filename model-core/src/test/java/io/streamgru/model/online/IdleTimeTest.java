package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleTimeTest {

    @Test
    void readsOffNumbersWithUnitsAndIso8601() {
        assertThat(IdleTime.parse("off")).isEqualTo(Duration.ZERO);
        assertThat(IdleTime.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(IdleTime.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(IdleTime.parse("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(IdleTime.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(IdleTime.parse("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(IdleTime.parse(" 30D ")).isEqualTo(Duration.ofDays(30));
        assertThat(IdleTime.parse("P30D")).isEqualTo(Duration.ofDays(30));
        assertThat(IdleTime.parse("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void writesTheLargestExactUnitSoThatItReadsBack() {
        for (String text : new String[] {"off", "30d", "36h", "90m", "45s", "1500ms"}) {
            assertThat(IdleTime.format(IdleTime.parse(text))).isEqualTo(text);
        }
        assertThat(IdleTime.format(Duration.ofMinutes(120))).isEqualTo("2h");
    }

    @Test
    void refusesWhatIsNotADurationSayingWhatIs() {
        for (String text : new String[] {"soon", "30", "-5m", "1w", "PT-1H", "99999999999999999999d", "999999999999999d", "P999999999999D"}) {
            assertThatThrownBy(() -> IdleTime.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be off");
        }
    }
}
