package dev.cutter.spec;

/**
 * One entry of a list section ({@code builds[2]}, {@code releases[0]}…): what other sections refer
 * to it by, and where the file writes it, for the faults that name it.
 */
public interface Entry {
    /** The entry's {@code id}, unique in its section. */
    String id();

    /** Where the entry is written in the spec. */
    Location location();
}
