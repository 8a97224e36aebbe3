package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleSpecTest {

    @Test
    void parsesEveryForm() {
        assertThat(ScheduleSpec.parse("constant", 0.01)).isEqualTo(new ConstantRate(0.01));
        assertThat(ScheduleSpec.parse("step:1000:0.5", 0.01)).isEqualTo(new StepDecay(0.01, 1000, 0.5));
        assertThat(ScheduleSpec.parse("exp:0.999", 0.01)).isEqualTo(new ExponentialDecay(0.01, 0.999));
        assertThat(ScheduleSpec.parse("inverse:0.5:1000", 0.01)).isEqualTo(new InverseTimeDecay(0.01, 0.5, 1000));
        assertThat(ScheduleSpec.parse("inverse:1:500:1e-3", 0.01)).isEqualTo(new InverseTimeDecay(0.01, 1, 500, 1e-3));
        assertThat(ScheduleSpec.parse(" inverse:1:500:0 ", 0.01)).isEqualTo(new InverseTimeDecay(0.01, 1, 500));
        assertThat(ScheduleSpec.parse("cosine:10000", 0.01)).isEqualTo(new CosineAnnealing(0.01, 10000, 0));
        assertThat(ScheduleSpec.parse("cosine:10000:1e-5", 0.01)).isEqualTo(new CosineAnnealing(0.01, 10000, 1e-5));
    }

    @Test
    void inverseFloorHoldsTheRateOnceTheDecayReachesIt() {
        LearningRateSchedule s = ScheduleSpec.parse("inverse:1:500:1e-3", 0.01);
        assertThat(s.rate(500)).isEqualTo(0.005);
        assertThat(s.rate(4_500)).isCloseTo(1e-3, within(1e-18));
        assertThat(s.rate(62_500)).as("after 1 M records at W = 16, not 8e-5").isEqualTo(1e-3);
    }

    @Test
    void warmupPrefixWrapsAnyOtherForm() {
        assertThat(ScheduleSpec.parse("warmup:100,cosine:10000", 0.01))
                .isEqualTo(new LinearWarmup(100, new CosineAnnealing(0.01, 10000, 0)));
        assertThat(ScheduleSpec.parse(" warmup:5, constant ", 0.01))
                .isEqualTo(new LinearWarmup(5, new ConstantRate(0.01)));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
        "linear:5              | unknown schedule 'linear'",
        "step:10               | 'step:10' must have the form step:SIZE:GAMMA",
        "step:ten:0.5          | step SIZE 'ten' is not an integer",
        "step:0:0.5            | step SIZE '0' must be >= 1",
        "step:10:-0.5          | step GAMMA '-0.5' must be > 0",
        "exp:fast              | exp GAMMA 'fast' is not a number",
        "exp:NaN               | exp GAMMA 'NaN' must be finite",
        "exp                   | 'exp' must have the form exp:GAMMA",
        "constant:1            | 'constant:1' must have the form constant",
        "inverse:0.5           | 'inverse:0.5' must have the form inverse:RATE:STEPS",
        "inverse:-1:10         | inverse RATE '-1' must be >= 0",
        "inverse:1:0           | inverse STEPS '0' must be >= 1",
        "inverse:1:500:-1e-3   | inverse MIN '-1e-3' must be >= 0",
        "inverse:1:500:low     | inverse MIN 'low' is not a number",
        "inverse:1:500:Infinity | inverse MIN 'Infinity' must be finite",
        "inverse:1:500:         | inverse MIN '' is not a number",
        "inverse:1:500:1e-3:2  | 'inverse:1:500:1e-3:2' must have the form inverse:RATE:STEPS[:MIN]",
        "cosine:100:0.1:3      | 'cosine:100:0.1:3' must have the form cosine:TOTAL[:MIN]",
        "cosine:1e4            | cosine TOTAL '1e4' is not an integer",
        "cosine:100:-1         | cosine MIN '-1' must be >= 0",
        "warmup:x,constant     | warmup steps 'x' is not an integer",
        "warmup:0,constant     | warmup steps '0' must be >= 1",
        "warmup:10             | 'warmup:10' must be followed by ','",
        "warmup:10,            | nothing follows 'warmup:10,'",
        "warm:10,constant      | 'warm:10' before ',' must be warmup:N",
        "warmup:1,warmup:2,exp:0.9 | may only prefix one schedule",
    })
    void errorsNameTheOffendingPart(String spec, String expected) {
        assertThatThrownBy(() -> ScheduleSpec.parse(spec, 0.01))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + spec + "'")
                .hasMessageContaining(expected);
    }

    @Test
    void rejectsAnEmptySpecAndABadBaseRate() {
        assertThatThrownBy(() -> ScheduleSpec.parse(" ", 0.01)).hasMessageContaining("empty");
        assertThatThrownBy(() -> ScheduleSpec.parse("constant", -1)).hasMessageContaining("base learning rate");
    }
}
