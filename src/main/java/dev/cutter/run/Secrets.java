package dev.cutter.run;

import dev.cutter.spec.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:path}} references at the moment a job uses
 * them — never earlier, so they never reach a plan or a ledger — and registers every value with
 * the run's {@link Masker}.
 */
public final class Secrets {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private final Map<String, String> environment;
    private final Path baseDir;
    private final Masker masker;

    public Secrets(Map<String, String> environment, Path baseDir, Masker masker) {
        this.environment = environment;
        this.baseDir = baseDir;
        this.masker = masker;
    }

    public Masker masker() {
        return masker;
    }

    /** {@code text} with every secret reference replaced by its value. */
    public String resolve(String text) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Why each secret reference in {@code text} cannot be resolved here (unset variable, missing
     * or unreadable file), without keeping any value: what a preflight tells before a run starts.
     */
    public List<String> problems(String text) {
        List<String> problems = new java.util.ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            try {
                new Secrets(environment, baseDir, new Masker()).value(m.group(1), m.group(2));
            } catch (JobFailure e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    public boolean isReference(String text) {
        return REFERENCE.matcher(text).find();
    }

    private String value(String kind, String name) {
        String value;
        if (kind.equals("env")) {
            value = environment.get(name);
            if (value == null) {
                throw JobFailure.failed("the secret ${env:" + name + "} is not set; export " + name + " before running Cutter");
            }
        } else {
            Path file = baseDir.resolve(name);
            try {
                value = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw JobFailure.failed("the secret ${file:" + name + "} names a file that does not exist: " + file);
            } catch (IOException e) {
                throw JobFailure.failed("cannot read the secret ${file:" + name + "}: " + e.getMessage());
            }
        }
        masker.add(value);
        return value;
    }

    /** For templates that were never rendered: the same as {@link #resolve(String)} of their source. */
    public String resolve(Template template) {
        return resolve(template.source());
    }
}
