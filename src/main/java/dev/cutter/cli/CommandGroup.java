package dev.cutter.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Spec.Target;

/** A command that only groups subcommands ({@code cutter runs}, {@code cutter repo}, …): run alone, it prints its usage. */
abstract class CommandGroup implements Runnable {
    @Spec(Target.SELF)
    CommandSpec command;

    @Override
    public void run() {
        command.commandLine().usage(command.commandLine().getOut());
    }
}
