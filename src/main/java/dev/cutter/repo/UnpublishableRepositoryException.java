package dev.cutter.repo;

import dev.cutter.content.ContentProblem;
import java.io.IOException;

/**
 * A repository whose packages do not make a publishable repository, e.g. an apt distribution with
 * no architecture-specific package to tell which binary-&lt;arch&gt; indexes to write. The
 * message says what to do; nothing was written.
 */
public final class UnpublishableRepositoryException extends IOException implements ContentProblem {
    public UnpublishableRepositoryException(String message) {
        super(message);
    }
}
