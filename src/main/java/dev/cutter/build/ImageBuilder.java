package dev.cutter.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An external program that builds one platform's image from a Dockerfile and writes it as an OCI
 * layout: {@link Buildah} (no daemon) or {@link DockerBuildx} (a Docker engine's BuildKit).
 */
public interface ImageBuilder {
    /** The builder's name as the spec's {@code builder:} names it. */
    String name();

    /**
     * Builds {@code request} and writes the image into the OCI layout {@code request.output()}
     * under the tag {@link #TAG}; the program's output goes to {@code log}, line by line.
     *
     * @throws Failed when the builder ends in error; the message carries its last lines
     */
    void build(Request request, Log log) throws IOException, InterruptedException;

    /** The tag of the built image in the output layout. */
    String TAG = "built";

    /** Where a build's output lines go. */
    interface Log {
        void line(String text);
    }

    /**
     * One build.
     *
     * @param dockerfile the Dockerfile
     * @param context the build context directory
     * @param target the stage to build, or the last
     * @param args build args, by name
     * @param labels labels to set on the image
     * @param platform {@code os/arch[/variant]}
     * @param sourceDateEpoch the time every timestamp in the image is set to, where the builder can
     * @param work an empty directory the build may use (its storage); removed by the caller
     * @param output the OCI layout directory to write (absent)
     * @param pulls how the builder reaches the registries of the Dockerfile's base images, where
     *     Cutter knows more than the machine's configuration (a transport, the spec's credentials)
     */
    record Request(Path dockerfile, Path context, Optional<String> target, Map<String, String> args, Map<String, String> labels,
            String platform, long sourceDateEpoch, Path work, Path output, List<Pull> pulls) {
        public Request {
            Objects.requireNonNull(dockerfile);
            Objects.requireNonNull(context);
            args = Map.copyOf(args);
            labels = Map.copyOf(labels);
            pulls = List.copyOf(pulls);
        }
    }

    /**
     * How a base image's registry is reached.
     *
     * @param location the base's repository ({@code host[:port]/path}), or its registry's host
     * @param insecure spoken to over plain HTTP (a loopback registry, or one the spec marks so)
     * @param login the credentials a push there would use (the spec's, else the user's logins:
     *     podman's and skopeo's {@code auth.json}, Docker's {@code config.json}, credential
     *     helpers); empty: none, the builder's own configuration then
     */
    record Pull(String location, boolean insecure, Optional<Login> login) {
        public Pull {
            Objects.requireNonNull(location);
            Objects.requireNonNull(login);
        }
    }

    /**
     * A username and password for a registry, resolved from the spec's secret references or found
     * among the user's logins, or an identity token (an OAuth2 refresh token, as Docker's and
     * podman's login files keep {@code identitytoken}); never printed.
     */
    record Login(String username, String password, Optional<String> identityToken) {
        public Login(String username, String password) {
            this(username, password, Optional.empty());
        }

        /** A login that is an identity token alone. */
        public static Login identityToken(String token) {
            return new Login("", "", Optional.of(token));
        }

        @Override
        public String toString() {
            return "Login[" + username + ", ***]";
        }
    }

    /** The builder failed; {@link #getMessage()} ends with its last lines of output. */
    final class Failed extends IOException {
        public Failed(String message) {
            super(message);
        }

        /** The last {@code count} non-blank lines of {@code output}. */
        public static String tail(String output, int count) {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        }
    }
}
