package dev.cutter.release.forge;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cutter.release.ReleaseException;
import dev.cutter.release.ReleaseInfo;
import dev.cutter.release.ReleaseJson;
import java.util.Optional;

/**
 * A forge release's body: the notes users read, then Cutter's metadata ({@link ReleaseJson}) in
 * an HTML comment that Markdown renderers do not show.
 *
 * <pre>
 * KM v0.9-beta
 * …the notes…
 *
 * &lt;!-- cutter-release
 * {
 *   "project": "km",
 *   …
 * }
 * --&gt;
 * </pre>
 *
 * Forges keep no field for a project, a channel, an install order or an asset's digest; the body
 * is the one place that travels with the release, is written in the same call that makes the
 * release, and goes when it goes. A {@code --} in a JSON string is written {@code -\u002d}, so the
 * comment cannot be closed early by a project or tag name.
 */
final class ReleaseBody {
    static final String OPENING = "<!-- cutter-release\n";
    static final String CLOSING = "-->";
    private static final String SEPARATOR = "\n\n";

    private ReleaseBody() {}

    /** What a body says: the visible notes, and the release recorded in the block (empty with the reason when there is none). */
    record Parsed(String notes, Optional<ReleaseInfo> release, Optional<String> problem) {}

    static String render(String notes, ReleaseInfo release) {
        String json = new String(ReleaseJson.write(release), UTF_8).replace("--", "-\\u002d");
        return notes + SEPARATOR + OPENING + json + CLOSING + "\n";
    }

    /**
     * The notes and the recorded release of a body, the release called {@code title}. Line ends
     * are read as {@code \n} (a body edited in a browser comes back with {@code \r\n}), and the
     * whitespace a forge may trim at either end is not required.
     */
    static Parsed parse(String title, String body, String source) {
        String text = body == null ? "" : body.replace("\r\n", "\n");
        int start = text.lastIndexOf(SEPARATOR + OPENING);
        int notesEnd = start;
        int jsonStart = start + SEPARATOR.length() + OPENING.length();
        if (start < 0 && text.stripLeading().startsWith(OPENING)) { // empty notes, leading newlines trimmed
            notesEnd = 0;
            jsonStart = text.indexOf(OPENING) + OPENING.length();
        } else if (start < 0) {
            return new Parsed(text, Optional.empty(), Optional.of("it was not published by Cutter (its notes have no"
                    + " cutter-release block)"));
        }
        String rest = text.substring(jsonStart).stripTrailing();
        if (!rest.endsWith(CLOSING)) {
            return new Parsed(text.substring(0, notesEnd), Optional.empty(),
                    Optional.of("its cutter-release block is not closed with " + CLOSING));
        }
        byte[] json = rest.substring(0, rest.length() - CLOSING.length()).getBytes(UTF_8);
        try {
            return new Parsed(text.substring(0, notesEnd), Optional.of(ReleaseJson.read(title, json, source)), Optional.empty());
        } catch (ReleaseException e) {
            return new Parsed(text.substring(0, notesEnd), Optional.empty(), Optional.of(e.getMessage()));
        }
    }
}
