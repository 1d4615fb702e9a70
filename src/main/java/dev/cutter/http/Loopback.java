package dev.cutter.http;

/**
 * Which hosts are this machine: {@code localhost}, {@code 127.x.x.x} and {@code [::1]}, with or
 * without a port. Services there are spoken to in plain HTTP, as Docker does with registries —
 * the services tests and local setups start have no certificate.
 */
public final class Loopback {
    private Loopback() {}

    public static boolean is(String host) {
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceAll(":\\d+$", "");
        return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
    }
}
