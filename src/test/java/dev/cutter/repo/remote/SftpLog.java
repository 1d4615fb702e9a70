package dev.cutter.repo.remote;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the SFTP operations sshd logged (internal-sftp -l INFO), as "op relative-path" lines in server order. */
final class SftpLog {
    private static final Pattern OP = Pattern.compile(
            "\\b(rename|posix-rename|symlink|remove|rmdir|mkdir) (?:old|name|path)? ?\"([^\"]*)\"(?: new \"([^\"]*)\")?");

    private SftpLog() {}

    static List<String> operations(Path log, long from, String root) throws IOException {
        String text;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(from);
            byte[] b = new byte[(int) (f.length() - from)];
            f.readFully(b);
            text = new String(b, StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = OP.matcher(line);
            if (!m.find()) {
                continue;
            }
            String op = m.group(1);
            String path = m.group(3) != null ? m.group(3) : m.group(2);
            if (op.equals("symlink")) {
                path = m.group(3); // symlink old TARGET new LINK (as the server logs it)
            }
            if (path == null || !path.startsWith(root + "/")) {
                continue;
            }
            String rel = path.substring(root.length() + 1);
            boolean posix = op.equals("posix-rename");
            out.add((posix ? "rename" : op) + " " + rel + (posix ? " (posix)" : ""));
        }
        return out;
    }

    /** The index of the operation exactly {@code op} (or, ending in '-', starting with it); fails when absent. */
    static int indexOf(List<String> ops, String op) {
        for (int i = 0; i < ops.size(); i++) {
            String o = ops.get(i).replace(" (posix)", "");
            if (o.equals(op) || (op.endsWith("-") && o.startsWith(op))) {
                return i;
            }
        }
        throw new AssertionError("no '" + op + "' in the server's log:\n" + String.join("\n", ops));
    }
}
