package io.streamgru.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code streamgru model}: the published versions of an application's model: list, export, import, roll back. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {
            "Lists, exports, imports and rolls back versions of an application's model.",
            "They live in the topics <app>-model (the newest) and <app>-model-history",
            "(older ones). The running app adopts the versions import and rollback publish."
        },
        subcommands = {ModelListCommand.class, ModelExportCommand.class, ModelImportCommand.class,
            ModelRollbackCommand.class})
public final class ModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
