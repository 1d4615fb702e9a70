package dev.cutter.attest.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files an SBOM lists, by path (no leading slash) to SHA-256 in hex, and the digest it names
 * as its subject: read from CycloneDX ({@code file} components) or SPDX ({@code files}).
 *
 * @param subject the subject's SHA-256 in hex, empty when the SBOM names none
 */
public record SbomListing(String format, String subject, Map<String, String> files) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public SbomListing {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** Reads {@code bytes} as the SBOM format its media type names; a malformed one is an {@link IllegalArgumentException}. */
    public static SbomListing read(byte[] bytes, String mediaType) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, String> files = new TreeMap<>();
        if (mediaType.contains("spdx")) {
            if (!root.path("spdxVersion").isTextual()) {
                throw new IllegalArgumentException("not an SPDX document: it has no spdxVersion");
            }
            for (JsonNode file : root.path("files")) {
                String name = file.path("fileName").asText().replaceFirst("^\\./", "");
                files.put(name, checksum(file.path("checksums"), "algorithm", "checksumValue", "SHA256"));
            }
            String subject = "";
            for (JsonNode p : root.path("packages")) {
                if (p.path("SPDXID").asText().equals("SPDXRef-Subject")) {
                    subject = checksum(p.path("checksums"), "algorithm", "checksumValue", "SHA256");
                }
            }
            return new SbomListing("spdx", subject, files);
        }
        if (!"CycloneDX".equals(root.path("bomFormat").asText())) {
            throw new IllegalArgumentException("not a CycloneDX document: bomFormat is not CycloneDX");
        }
        for (JsonNode c : root.path("components")) {
            if (c.path("type").asText().equals("file")) {
                files.put(c.path("name").asText(), checksum(c.path("hashes"), "alg", "content", "SHA-256"));
            }
        }
        return new SbomListing("cyclonedx", checksum(root.path("metadata").path("component").path("hashes"), "alg", "content",
                "SHA-256"), files);
    }

    private static String checksum(JsonNode sums, String algorithmKey, String valueKey, String algorithm) {
        for (JsonNode sum : sums) {
            if (sum.path(algorithmKey).asText().equals(algorithm)) {
                return sum.path(valueKey).asText();
            }
        }
        return "";
    }

    /**
     * What differs between this listing and {@code actual} (path to SHA-256 in hex), one line a
     * file, in path order: a file listed with another digest, listed but absent, present but not
     * listed.
     */
    public java.util.List<String> differences(Map<String, String> actual) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.SortedSet<String> paths = new java.util.TreeSet<>(files.keySet());
        paths.addAll(actual.keySet());
        for (String path : paths) {
            String listed = files.get(path);
            String held = actual.get(path);
            if (listed == null) {
                out.add(path + " is in the layers (sha256:" + held + ") but not in the SBOM");
            } else if (held == null) {
                out.add(path + " is in the SBOM but not in the layers");
            } else if (!listed.equals(held)) {
                out.add(path + " is sha256:" + listed + " in the SBOM but sha256:" + held + " in the layers");
            }
        }
        return out;
    }
}
