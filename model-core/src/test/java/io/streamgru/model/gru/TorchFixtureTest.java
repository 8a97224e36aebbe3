package io.streamgru.model.gru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fixture reader reads Python's repr(float) back to the identical doubles, and says so when it does not. */
class TorchFixtureTest {

    // Written by Python: ' '.join(repr(v) for v in values), crc32 over struct.pack('>d', v) of each value.
    private static final String TRICKY = """
            # comment
            loss = huber
            config.head_hidden = 0

            tricky shape=3x3 0.1 -0.0 5e-324 2.2250738585072014e-308 1.7976931348623157e+308 \
            0.30000000000000004 -1.0000000000000002 1e-05 123456789.12345679
            crc32 = fa042cab
            """;

    @Test
    void valuesRoundTripBitExactlyIncludingSubnormalsExtremesAndNegativeZero() {
        TorchFixture f = TorchFixture.parse("tricky", TRICKY);

        // Expected bits from Python's float.hex: hex literals are exact, so this is not circular.
        double[] expected = {0x1.999999999999ap-4, -0x0.0p+0, 0x0.0000000000001p-1022, 0x1.0000000000000p-1022,
            0x1.fffffffffffffp+1023, 0x1.3333333333334p-2, -0x1.0000000000001p+0, 0x1.4f8b588e368f1p-17,
            0x1.d6f34547e6b75p+26};
        double[] actual = f.array("tricky");
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Double.doubleToRawLongBits(actual[i])).as("value %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(expected[i]));
        }
        assertThat(f.shape("tricky")).containsExactly(3, 3);
        assertThat(f.row("tricky", 2)).containsExactly(expected[6], expected[7], expected[8]);
        assertThat(f.text("loss")).isEqualTo("huber");
        assertThat(f.integer("config.head_hidden")).isZero();
        assertThat(f.checksummed()).isTrue();
    }

    @Test
    void aValueThatDoesNotMatchTheChecksumIsRejected() {
        String edited = TRICKY.replace("0.30000000000000004", "0.3");

        assertThatThrownBy(() -> TorchFixture.parse("edited", edited))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CRC-32");
    }

    @Test
    void shapeAndValueCountMustAgree() {
        assertThatThrownBy(() -> TorchFixture.parse("bad", "a shape=2x2 1 2 3\n"))
                .hasMessageContaining("bad:1").hasMessageContaining("4 values").hasMessageContaining("but 3 values");
    }

    @Test
    void aMissingEntryNamesWhatIsPresent() {
        TorchFixture f = TorchFixture.parse("small", "a shape=1 1.5\nb = text\n");

        assertThat(f.scalar("a")).isEqualTo(1.5);
        assertThatThrownBy(() -> f.array("c")).hasMessageContaining("no entry 'c'").hasMessageContaining("[a]");
        assertThatThrownBy(() -> f.text("c")).hasMessageContaining("no entry 'c'").hasMessageContaining("[b]");
    }

    @Test
    void everyCommittedFixtureParsesAndPassesItsChecksum() {
        for (String name : PyTorchAgreementTest.CASES) {
            TorchFixture f = PyTorchAgreementTest.fixture(name);
            assertThat(f.checksummed()).as(name).isTrue();
            assertThat(f.has("expected.loss_sum")).as(name).isTrue();
        }
        TorchFixture run = TorchFixture.resource("/fixtures/torch/tbptt_training_run.txt");
        assertThat(run.checksummed()).isTrue();
        assertThat(run.has("expected.steps.parameters")).isTrue();
    }
}
