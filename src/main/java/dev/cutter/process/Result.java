package dev.cutter.process;

/** How a program ended and what it printed (UTF-8); {@code err} is empty when it was merged into {@code out}. */
public record Result(int exit, String out, String err) {
    public boolean ok() {
        return exit == 0;
    }
}
