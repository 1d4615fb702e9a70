package dev.cutter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the command line. */
@Command(name = "cutter", mixinStandardHelpOptions = true, version = "cutter 0.1.0",
        description = "Plans, executes, records, resumes, promotes and verifies releases.")
public final class Cutter implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Cutter()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
