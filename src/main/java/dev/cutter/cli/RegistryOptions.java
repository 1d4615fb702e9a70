package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.oci.RegistryClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --insecure HOST}, shared by the commands that read and write images in registries, and the client they do it with. */
final class RegistryOptions {
    @Option(names = "--insecure", paramLabel = "HOST", description = "A registry host reached over plain HTTP (loopback always is).")
    List<String> insecure = new ArrayList<>();

    /** A client with the logins of {@code services}, its {@code CUTTER_REGISTRY_TIMEOUT}, and plain HTTP to the {@code --insecure} hosts. */
    RegistryClient client(Services services) {
        return new RegistryClient(RegistryClient.http(), services.logins(), RegistryClient.Options.defaults()
                .withInsecure(new HashSet<>(insecure))
                .withTimeout(RegistryClient.timeoutFrom(services.environment().get("CUTTER_REGISTRY_TIMEOUT"))));
    }
}
