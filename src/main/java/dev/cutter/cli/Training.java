package dev.cutter.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs several Cutter command lines, separated by {@code ;} arguments, in one process, as the
 * launcher would start each: what an AOT cache is trained on when it serves more than one command
 * (packaging/runtime.sh trains {@code cutter repo}'s on index and add, apt and yum). The cache
 * holds what one process did, so the commands it serves run in one process to make it. Stops at
 * the first command that does not exit 0, with its exit code.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) {
        System.setProperty("picocli.disable.closures", "true");
        PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream(), true);
        PrintWriter err = new PrintWriter(System.err, true);
        for (String[] command : commands(args)) {
            int code = Cutter.commandLine(quiet, err, command).execute(command);
            if (code != 0) {
                err.println("training: cutter " + String.join(" ", command) + " exited " + code);
                System.exit(code);
            }
        }
        System.exit(0); // a release leaves its pools' threads behind, as Cutter's own main knows
    }

    /** {@code args} cut at each {@code ;}, empty command lines left out. */
    static List<String[]> commands(String[] args) {
        List<String[]> commands = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || args[i].equals(";")) {
                if (i > start) {
                    commands.add(Arrays.copyOfRange(args, start, i));
                }
                start = i + 1;
            }
        }
        return commands;
    }
}
