package io.streamgru.app.cli;

import io.streamgru.app.config.ConfigSources;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.runtime.DeployedDefaults;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a command that works on a streaming application finds its settings (a picocli mixin): the
 * config file, then {@code STREAMGRU_*} environment variables, then {@code --set} flags, layered by
 * {@link ConfigSources}.
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties or YAML file with the settings.")
    Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "A setting, overriding file and environment (repeatable), e.g. --set learner.hidden=64.")
    Map<String, String> set = new LinkedHashMap<>();

    /** File, environment and flags, layered. */
    public Settings settings() {
        return ConfigSources.load(configFile, System.getenv(), set);
    }

    /**
     * The deployed application's configuration from {@link #settings()}: this release's defaults, or
     * the previous ones for a model trained under them ({@link DeployedDefaults}); throws a
     * {@code ConfigException} naming a bad key.
     */
    public StreamGruConfig config() {
        return DeployedDefaults.resolve(settings());
    }
}
