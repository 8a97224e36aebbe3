package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.config.Settings;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.LearnerSetting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every learner setting is a flag of every command that trains, derived from its declaration. */
class LearnerOptionsTest {

    @Test
    void everyCommandThatTrainsHasAFlagForEverySetting() {
        CommandLine root = StreamGruCommand.newCommandLine();
        for (String command : List.of("run", "demo", "evaluate", "replay")) {
            var spec = root.getSubcommands().get(command).getCommandSpec();
            for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
                OptionSpec option = spec.findOption(s.flag());
                assertThat(option).as(command + " " + s.flag()).isNotNull();
                assertThat(option.negatable()).as(command + " " + s.flag() + " is on/off").isEqualTo(s.type().isSwitch());
                assertThat(String.join(" ", option.description())).as(command + " " + s.flag())
                        .contains("(default: " + s.defaultText() + ")");
            }
        }
    }

    @Test
    void givenFlagsBecomeLearnerSettingsThatNameTheirFlag() {
        CommandLine root = StreamGruCommand.newCommandLine();
        root.parseArgs("evaluate", "--input", "x.csv", "--target", "t", "--hidden", "7", "--no-normalize",
                "--head-hidden", "5", "--feature-scaling", "per-key");
        EvaluateCommand evaluate = root.getSubcommands().get("evaluate").getCommand();

        Settings given = evaluate.learner.toSettings();

        assertThat(given.all()).containsOnlyKeys("learner.hidden", "learner.normalize", "learner.head.hidden",
                "learner.feature.scaling");
        assertThat(given.all().get("learner.hidden")).isEqualTo(new Settings.Setting("7", "--hidden"));
        assertThat(given.all().get("learner.normalize")).isEqualTo(new Settings.Setting("false", "--no-normalize"));
        LearnerConfig config = evaluate.learner.toConfig(1);
        assertThat(config.hidden()).isEqualTo(7);
        assertThat(config.headHidden()).isEqualTo(5);
        assertThat(config.normalize()).isFalse();
        assertThat(config.window()).as("unset flags keep the default").isEqualTo(LearnerConfig.Defaults.WINDOW);
    }

    @Test
    void flagsOverrideTheSettingsFileAndEnvironment() {
        CommandLine root = StreamGruCommand.newCommandLine();
        root.parseArgs("evaluate", "--input", "x.csv", "--target", "t", "--window", "8");
        EvaluateCommand evaluate = root.getSubcommands().get("evaluate").getCommand();
        Settings file = Settings.of(Map.of("learner.window", "32", "learner.chunk", "4"), "streamgru.yaml");

        Settings merged = file.overriddenBy(evaluate.learner.toSettings());

        assertThat(merged.string("learner.window", "")).isEqualTo("8");
        assertThat(merged.sourceOf("learner.window")).isEqualTo("--window");
        assertThat(merged.string("learner.chunk", "")).isEqualTo("4");
    }
}
