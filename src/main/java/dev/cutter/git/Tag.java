package dev.cutter.git;

/**
 * A tag: its short name ({@code v1.2.0}, {@code src/webhook/v0.8.0}), the commit it points at
 * (peeled through annotated tag objects), whether it is annotated, and its message (empty for a
 * lightweight tag; as stored, normally ending in a newline).
 */
public record Tag(String name, String commit, boolean annotated, String message) {}
