package org.bonexray.pacs.dicomweb;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How requests authenticate to the PACS: not at all, HTTP basic (user and password) or a bearer token.
 * {@link #toString()} never shows the secret.
 */
public final class PacsAuth {
    /** No Authorization header. */
    public static final PacsAuth NONE = new PacsAuth(null, "none");

    private final String header;
    private final String kind;

    private PacsAuth(String header, String kind) {
        this.header = header;
        this.kind = kind;
    }

    /** HTTP basic authentication (RFC 7617), UTF-8. */
    public static PacsAuth basic(String user, String password) {
        if (user == null || user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("a basic-auth user must be non-empty and free of ':'");
        }
        String pair = user + ":" + (password == null ? "" : password);
        return new PacsAuth("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)),
                "basic (user " + user + ")");
    }

    /** A bearer token (RFC 6750). */
    public static PacsAuth bearer(String token) {
        if (token == null || token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
            throw new IllegalArgumentException("a bearer token must be printable ASCII without spaces");
        }
        return new PacsAuth("Bearer " + token, "bearer token");
    }

    /** The Authorization header's value, or null for none. */
    public String header() {
        return header;
    }

    @Override
    public String toString() {
        return kind;
    }
}
