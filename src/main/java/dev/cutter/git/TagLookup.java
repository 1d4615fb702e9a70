package dev.cutter.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Whether a checkout knows a tag (fetched or made here), as a released component's module tag proves. */
public final class TagLookup {
    private TagLookup() {}

    public static boolean hasTag(Path directory, String tag) {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "-q", "--verify", "refs/tags/" + tag + "^{commit}")
                    .directory(directory.toFile()).redirectErrorStream(true).start();
            git.getInputStream().readAllBytes();
            return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0;
        } catch (IOException e) {
            return false; // no git here: nothing is known to be tagged
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
