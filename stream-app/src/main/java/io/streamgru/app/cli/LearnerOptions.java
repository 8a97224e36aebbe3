package io.streamgru.app.cli;

import io.streamgru.app.config.LearnerSettings;
import io.streamgru.app.config.Settings;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.LearnerSetting;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Model and training options shared by every command that trains (a picocli mixin): one flag per
 * learner setting, derived from {@link LearnerConfig#SETTINGS} ({@code --head-hidden} is
 * {@code learner.head.hidden}; on/off settings are {@code --KEY}/{@code --no-KEY}). Unset flags keep
 * the configuration's value or the learner's default, and all of them go through
 * {@link LearnerSettings}, which parses and checks them with the same errors as a settings file.
 */
@Command(modelTransformer = LearnerOptions.Flags.class)
public final class LearnerOptions {

    /** The flags given, by setting key (without {@code learner.}), as typed. */
    private final Map<String, Object> given = new LinkedHashMap<>();

    /**
     * Adds one option per learner setting to the command that mixes these options in; picocli calls it
     * (a mixin's model transformer becomes its command's) once the command's model is built.
     */
    public static final class Flags implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            LearnerOptions target = command.mixins().values().stream()
                    .map(CommandSpec::userObject)
                    .filter(LearnerOptions.class::isInstance)
                    .map(LearnerOptions.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(command.name() + " has no LearnerOptions mixin"));
            for (LearnerSetting<?> setting : LearnerConfig.SETTINGS) {
                command.addOption(target.optionFor(setting));
            }
            return command;
        }
    }

    private OptionSpec optionFor(LearnerSetting<?> setting) {
        boolean onOff = setting.type().isSwitch();
        String key = setting.key();
        OptionSpec.Builder option = OptionSpec.builder(setting.flag())
                .description(withoutFinalStop(setting.help()) + " (default: " + setting.defaultText() + ").")
                .getter(new IGetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T get() {
                        return (T) given.get(key);
                    }
                })
                .setter(new ISetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T set(T value) {
                        // picocli sets null when it (re)initialises the option: the flag was not given.
                        return (T) (value == null ? given.remove(key) : given.put(key, value));
                    }
                });
        if (onOff) {
            option.type(Boolean.class).arity("0").negatable(true);
        } else {
            option.type(String.class).arity("1").paramLabel(setting.label());
        }
        return option.build();
    }

    private static String withoutFinalStop(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** The flags that were given, as {@code learner.*} settings whose source is the flag. */
    public Settings toSettings() {
        Map<String, Settings.Setting> m = new LinkedHashMap<>();
        for (LearnerSetting<?> setting : LearnerConfig.SETTINGS) {
            Object value = given.get(setting.key());
            if (value != null) {
                String flag = Boolean.FALSE.equals(value) ? "--no-" + setting.flag().substring(2) : setting.flag();
                m.put(LearnerSettings.PREFIX + setting.key(), new Settings.Setting(value.toString(), flag));
            }
        }
        return new Settings(m);
    }

    /** The learner configuration these flags describe for {@code features} feature inputs. */
    public LearnerConfig toConfig(int features) {
        return LearnerSettings.toConfig(toSettings(), features);
    }
}
