package dev.cutter.content;

/**
 * A failure caused by the content it names — a file, a layer, a blob, a package — not by Cutter:
 * the input is not what it claims, or breaks its format. A job failing with one fails with its
 * message, which names the content and what is wrong; an exception without this mark that reaches
 * the scheduler is a bug and is reported as an internal error.
 */
public interface ContentProblem {}
