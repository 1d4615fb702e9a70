package dev.cutter.sigstore;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates as Sigstore's services and cosign write them: PEM blocks, one after another
 * (Fulcio's chain, Rekor's entry, cosign's layer annotations), each DER inside.
 */
final class Certificates {
    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);

    private Certificates() {}

    /** The DER of every certificate in {@code text}, in order; none when it holds none. */
    static List<byte[]> fromPem(String text) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            out.add(Base64.getMimeDecoder().decode(m.group(1)));
        }
        return out;
    }

    /** {@code certificates} (DER) as PEM blocks, 64 characters a line. */
    static String toPem(List<byte[]> certificates) {
        StringBuilder out = new StringBuilder();
        for (byte[] der : certificates) {
            out.append("-----BEGIN CERTIFICATE-----\n").append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
    }
}
