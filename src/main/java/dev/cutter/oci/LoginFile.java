package dev.cutter.oci;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Staging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One login file as Docker ({@code config.json}) or podman and skopeo ({@code auth.json}) write
 * it: {@code auths} (per key, {@code auth} = base64 of {@code user:password}, or
 * {@code username}/{@code password}, and {@code identitytoken}), {@code credHelpers} (per
 * registry, the NAME of {@code docker-credential-NAME}) and, in Docker's, {@code credsStore} (the
 * helper of every other registry). Every other key is kept as it is when the file is written back.
 *
 * @param path where it is
 * @param format whose file it is, which decides how keys and helpers are read
 * @param root the whole file, as read
 * @param auths the entries of {@code auths} by key, in the file's order
 * @param credHelpers the entries of {@code credHelpers} by key
 * @param credsStore Docker's {@code credsStore}
 */
record LoginFile(Path path, Format format, ObjectNode root, Map<String, Entry> auths, Map<String, String> credHelpers,
        Optional<String> credsStore) {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Whose file: Docker's {@code config.json}; containers' (podman, skopeo, buildah)
     * {@code auth.json}; or Docker's old {@code ~/.dockercfg}, whose whole object is what
     * {@code auths} holds today (keys as Docker writes them), still read by podman and skopeo.
     */
    enum Format {
        DOCKER, CONTAINERS, LEGACY;

        /** Whether keys are Docker's ({@code https://index.docker.io/v1/} for Docker Hub). */
        boolean dockerKeys() {
            return this != CONTAINERS;
        }
    }

    /**
     * One entry of {@code auths}: its login, empty for the {@code {}} Docker leaves beside a
     * login kept by a helper.
     *
     * @param username the user an identity token was given to, kept to be written back
     */
    record Entry(String key, Optional<Credentials.Login> login, Optional<String> username) {}

    /** A helper that holds a registry's login, and where the file names it. */
    record Helper(String name, String origin) {}

    LoginFile {
        auths = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(auths));
        credHelpers = Map.copyOf(credHelpers);
    }

    /** An empty file at {@code path}, to be written. */
    static LoginFile empty(Path path, Format format) {
        return new LoginFile(path, format, JSON.createObjectNode(), Map.of(), Map.of(), Optional.empty());
    }

    /** The file at {@code path}; empty when there is none. */
    static Optional<LoginFile> read(Path path, Format format) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                throw new LoginFileException(path + ": is a directory, not a login file; remove it"
                        + switch (format) {
                            case DOCKER -> " or point DOCKER_CONFIG elsewhere";
                            case CONTAINERS -> " or point REGISTRY_AUTH_FILE elsewhere";
                            case LEGACY -> "";
                        }, e);
            }
            throw new LoginFileException(path + ": cannot be read: " + e.getMessage(), e);
        }
        return Optional.of(parse(path, format, bytes));
    }

    static LoginFile parse(Path path, Format format, byte[] bytes) {
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new LoginFileException(path + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + "; fix the file or log in again", e);
        } catch (IOException e) {
            throw new LoginFileException(path + ": cannot be read: " + e.getMessage(), e);
        }
        Locations where = new Locations(path, bytes);
        if (tree == null || tree.isMissingNode()) {
            return empty(path, format); // an empty file: podman and Docker take it for no logins
        }
        if (!tree.isObject()) {
            throw where.problem("", "", "a login file is one JSON object ({\"auths\": {…}}), not " + kind(tree));
        }
        Map<String, Entry> auths = new LinkedHashMap<>();
        if (format == Format.LEGACY) { // {"https://index.docker.io/v1/": {"auth": "…", "email": "…"}}
            for (var field : tree.properties()) {
                auths.put(field.getKey(), entry(where, "", field.getKey(), field.getValue()));
            }
            return new LoginFile(path, format, (ObjectNode) tree, auths, Map.of(), Optional.empty());
        }
        JsonNode authsNode = tree.path("auths");
        if (!authsNode.isMissingNode() && !authsNode.isNull()) {
            if (!authsNode.isObject()) {
                throw where.problem("/auths", "auths", "must be an object of registries, not " + kind(authsNode));
            }
            for (var field : authsNode.properties()) {
                auths.put(field.getKey(), entry(where, "auths", field.getKey(), field.getValue()));
            }
        }
        Map<String, String> helpers = new HashMap<>();
        JsonNode helpersNode = tree.path("credHelpers");
        if (!helpersNode.isMissingNode() && !helpersNode.isNull()) {
            if (!helpersNode.isObject()) {
                throw where.problem("/credHelpers", "credHelpers", "must be an object of registry: helper name, not " + kind(helpersNode));
            }
            for (var field : helpersNode.properties()) {
                helpers.put(field.getKey(), helperName(where, "/credHelpers/" + pointer(field.getKey()),
                        "credHelpers[\"" + field.getKey() + "\"]", field.getValue()));
            }
        }
        Optional<String> store = Optional.empty();
        JsonNode storeNode = tree.path("credsStore");
        if (format == Format.DOCKER && !storeNode.isMissingNode() && !storeNode.isNull() && !storeNode.asText("").isEmpty()) {
            store = Optional.of(helperName(where, "/credsStore", "credsStore", storeNode));
        }
        return new LoginFile(path, format, (ObjectNode) tree, auths, helpers, store);
    }

    /** An entry of {@code auths}, or of a legacy file's top object ({@code container} empty). */
    private static Entry entry(Locations where, String container, String key, JsonNode value) {
        String at = container + "[\"" + key + "\"]";
        String pointer = (container.isEmpty() ? "" : "/" + container) + "/" + pointer(key);
        if (!value.isObject()) {
            throw where.problem(pointer, at, "must be an object ({\"auth\": \"…\"}), not " + kind(value));
        }
        String username = text(where, pointer + "/username", at + ".username", value.path("username"));
        String password = text(where, pointer + "/password", at + ".password", value.path("password"));
        String auth = text(where, pointer + "/auth", at + ".auth", value.path("auth"));
        String token = text(where, pointer + "/identitytoken", at + ".identitytoken", value.path("identitytoken"));
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw where.problem(pointer + "/auth", at + ".auth", "is not base64 (" + e.getMessage() + "); it holds base64 of user:password;"
                        + " log in again");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw where.problem(pointer + "/auth", at + ".auth", "is base64 of something without a colon; it holds base64 of"
                        + " user:password; log in again");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1).replace("\0", ""); // trailing NULs, as Docker and podman drop them
        }
        Optional<Credentials.Login> login = !token.isEmpty() ? Optional.of(new Credentials.IdentityToken(token))
                : !username.isEmpty() && !password.isEmpty() ? Optional.of(new Credentials.UsernamePassword(username, password))
                : Optional.empty();
        return new Entry(key, login, username.isEmpty() ? Optional.empty() : Optional.of(username));
    }

    private static String text(Locations where, String pointer, String at, JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw where.problem(pointer, at, "must be a string, not " + kind(value));
        }
        return value.asText();
    }

    private static String helperName(Locations where, String pointer, String at, JsonNode value) {
        String name = text(where, pointer, at, value);
        if (!CredentialHelper.NAME.matcher(name).matches()) {
            throw where.problem(pointer, at, "'" + name + "' is not a credential helper's name: it is the NAME of a program"
                    + " docker-credential-NAME on PATH (e.g. pass, ecr-login, gcloud)");
        }
        return name;
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "a list" : node.isTextual() ? "a string" : node.isNumber() ? "a number" : node.isBoolean() ? "true/false"
                : node.isNull() ? "null" : "an object";
    }

    private static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** The helper this file names for {@code host}: {@code credHelpers}' entry, else Docker's {@code credsStore}. */
    Optional<Helper> helperFor(RegistryHost host) {
        String exact = format.dockerKeys() ? host.dockerKey() : host.name();
        if (credHelpers.containsKey(exact)) {
            return Optional.of(new Helper(credHelpers.get(exact), "credHelpers[\"" + exact + "\"] in " + path));
        }
        Optional<Helper> named = credHelpers.entrySet().stream().filter(e -> host.isNamedBy(e.getKey()))
                .sorted(Map.Entry.comparingByKey()).findFirst()
                .map(e -> new Helper(e.getValue(), "credHelpers[\"" + e.getKey() + "\"] in " + path));
        if (named.isPresent()) {
            return named;
        }
        return credsStore.map(name -> new Helper(name, "credsStore in " + path));
    }

    /**
     * The login {@code auths} holds for {@code repository} (a path in {@code host}; empty: the
     * registry itself): a key naming the repository or a namespace above it, most specific first
     * (podman's extension, which it reads in Docker's file too), then the registry's own key, then
     * any key naming the registry in another spelling.
     */
    Optional<Credentials.Login> loginFor(RegistryHost host, String repository) {
        List<String> keys = new ArrayList<>();
        for (String name = repository.isEmpty() ? "" : host.name() + "/" + repository; name.contains("/");
                name = name.substring(0, name.lastIndexOf('/'))) {
            keys.add(name);
        }
        keys.add(format.dockerKeys() ? host.dockerKey() : host.name());
        keys.add(format.dockerKeys() ? host.name() : host.dockerKey());
        for (String key : keys) {
            Entry entry = auths.get(key);
            if (entry != null && entry.login().isPresent()) {
                return entry.login();
            }
        }
        return auths.values().stream().filter(e -> e.login().isPresent() && host.isNamedBy(e.key())).findFirst()
                .flatMap(Entry::login);
    }

    /**
     * This file with {@code host}'s login under Docker's key for it, as {@code docker login}
     * writes it: {@code auth} (base64 of {@code user:password}; with an identity token, of
     * {@code user:} and the token beside it), or the empty entry Docker leaves when a helper
     * keeps the login ({@code login} empty). Other keys naming the same registry are removed, so
     * no stale login shadows the new one.
     */
    LoginFile withLogin(RegistryHost host, String username, Optional<Credentials.Login> login) {
        ObjectNode copy = root.deepCopy();
        ObjectNode auths = copy.has("auths") && copy.get("auths").isObject() ? (ObjectNode) copy.get("auths") : copy.putObject("auths");
        List<String> stale = new ArrayList<>();
        auths.properties().forEach(e -> {
            if (host.isNamedBy(e.getKey())) {
                stale.add(e.getKey());
            }
        });
        auths.remove(stale);
        ObjectNode entry = auths.putObject(host.dockerKey());
        switch (login.orElse(null)) {
            case null -> { }
            case Credentials.UsernamePassword up -> entry.put("auth", base64(up.username() + ":" + up.password()));
            case Credentials.IdentityToken token -> entry.put("auth", base64(username + ":")).put("identitytoken", token.token());
        }
        return parse(path, format, bytes(copy));
    }

    /** This file without any login for {@code host} (every key naming it); the same file when it has none. */
    LoginFile withoutLogin(RegistryHost host) {
        ObjectNode copy = root.deepCopy();
        if (copy.get("auths") instanceof ObjectNode auths) {
            List<String> keys = new ArrayList<>();
            auths.properties().forEach(e -> {
                if (host.isNamedBy(e.getKey())) {
                    keys.add(e.getKey());
                }
            });
            auths.remove(keys);
        }
        return parse(path, format, bytes(copy));
    }

    /** Whether {@code auths} has a key naming {@code host}, with a login or the empty entry of a helper's. */
    boolean mentions(RegistryHost host) {
        return auths.keySet().stream().anyMatch(host::isNamedBy);
    }

    /**
     * Writes the file as Docker does: beside it, then renamed over it in one step, readable by its
     * owner alone (0600), its directory made (0700) when missing; a link is followed, so the file
     * it points at is the one replaced.
     */
    void write() throws IOException {
        Path target = Files.isSymbolicLink(path) ? path.toRealPath() : path;
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        byte[] bytes = bytes(root);
        Staging.replaceBeside(target, temp -> {
            Files.write(temp, bytes);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        });
    }

    /** Tab-indented, as Docker and podman write their files. */
    private static byte[] bytes(ObjectNode root) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("\t", "\n"))
                .withArrayIndenter(new DefaultIndenter("\t", "\n"));
        try {
            return (JSON.writer(printer).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written: " + e.getMessage(), e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Where each value of the file starts, by JSON pointer, for messages that name a line and column. */
    private record Locations(Path path, byte[] bytes) {
        LoginFileException problem(String pointer, String field, String message) {
            JsonLocation at = locate(pointer);
            return new LoginFileException(path + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": "
                    + (field.isEmpty() ? "" : field + ": ") + message, null);
        }

        private JsonLocation locate(String wanted) {
            try (JsonParser parser = JSON.createParser(bytes)) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == JsonToken.FIELD_NAME || token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                        continue;
                    }
                    String here = token.isStructStart() ? parser.getParsingContext().getParent().pathAsPointer().toString()
                            : parser.getParsingContext().pathAsPointer().toString();
                    if (here.equals(wanted)) {
                        return parser.currentTokenLocation();
                    }
                }
            } catch (IOException e) {
                return null; // the file parsed as a tree already; a location is a courtesy
            }
            return null;
        }
    }
}
