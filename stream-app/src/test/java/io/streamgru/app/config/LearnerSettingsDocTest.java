package io.streamgru.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.LearnerSetting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README's learner settings table is generated from {@link LearnerConfig#SETTINGS}: this test fails
 * when the two differ, printing the table to paste. Run it with {@code -Dstreamgru.docs.write=true}
 * to rewrite README.md in place.
 */
class LearnerSettingsDocTest {

    static final String BEGIN = "<!-- learner-settings: generated from LearnerConfig.SETTINGS by LearnerSettingsDocTest -->";
    static final String END = "<!-- /learner-settings -->";

    @Test
    void readmesLearnerSettingsTableIsTheOneGeneratedFromTheDeclarations() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("README.md holds the markers " + BEGIN + " ... " + END).isNotNegative();
        assertThat(end).isGreaterThan(begin);

        String expected = BEGIN + "\n" + markdown() + END;
        String actual = text.substring(begin, end + END.length());
        if (!actual.equals(expected) && Boolean.getBoolean("streamgru.docs.write")) {
            Files.writeString(readme, text.substring(0, begin) + expected + text.substring(end + END.length()),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("README's learner settings table (rerun with -Dstreamgru.docs.write=true to update)")
                .isEqualTo(expected);
    }

    @Test
    void everySettingHasHelpAndADefaultToShow() {
        for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
            assertThat(s.help()).as(s.key()).isNotBlank().endsWith(".");
            assertThat(s.defaultText()).as(s.key()).isNotBlank();
        }
    }

    /** One row per setting, in table order. */
    static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| setting | flag | values | default | meaning | config hash |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
            String flag = s.type().isSwitch() ? "`" + s.flag() + "` / `--no-" + s.flag().substring(2) + "`"
                    : "`" + s.flag() + " " + s.label() + "`";
            String hash = switch (s.hashMembership()) {
                case NEVER -> "no";
                case ALWAYS -> "yes";
                case WHEN_NOT_DEFAULT -> "when not default";
            };
            b.append("| `learner.").append(s.key()).append("` | ").append(flag.replace("|", "\\|"))
                    .append(" | ").append(s.type().describe().replace("|", "\\|"))
                    .append(" | ").append(s.defaultValue() == null ? s.defaultText() : "`" + s.defaultText() + "`")
                    .append(" | ").append(s.help().replace("|", "\\|"))
                    .append(" | ").append(hash).append(" |\n");
        }
        return b.toString();
    }
}
