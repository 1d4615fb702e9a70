package dev.cutter.spec;

/** A position in a spec file, 1-based as editors show it. */
public record Location(int line, int column) {
    public static final Location UNKNOWN = new Location(0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
