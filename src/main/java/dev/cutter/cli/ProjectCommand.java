package dev.cutter.cli;

/** A {@link SpecCommand} that records in, or reads, the spec's ledger: {@code -f FILE} and {@code --ledger LOCATION}. */
abstract class ProjectCommand extends SpecCommand {
    /** The spec and its ledger: the command's one mixin, as {@link SpecCommand#wiring} too. */
    final Project project;

    ProjectCommand() {
        this(new Project());
    }

    private ProjectCommand(Project project) {
        super(project);
        this.project = project;
    }
}
