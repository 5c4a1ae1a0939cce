package org.bonexray.model.weights;

import java.util.Locale;
import org.bonexray.io.Sha256;

/**
 * What a weight file's SHA-256 must be: a full digest (pinned, published by the hub, or vouched for by the user),
 * or only its leading hex digits as torch.hub names its files ({@code densenet169-b2777c0a.pth}), a weaker check
 * (32 bits) that catches corruption and mix-ups but not a deliberate forgery. A known size, when given, lets a
 * short download be called truncated.
 *
 * @param hex 64 hex digits, or the leading digits of a prefix check
 * @param prefixOnly whether only the leading digits are known
 * @param size the file's length in bytes, or -1 when unknown
 */
public record ExpectedDigest(String hex, boolean prefixOnly, long size) {
    public ExpectedDigest {
        hex = prefixOnly ? checkPrefix(hex) : Sha256.normalize(hex);
    }

    /** A full SHA-256. */
    public static ExpectedDigest full(String sha256) {
        return new ExpectedDigest(sha256, false, -1);
    }

    /** The first 8 or more hex digits of the SHA-256 (torch.hub's file-name check). */
    public static ExpectedDigest prefix(String leadingHex) {
        return new ExpectedDigest(leadingHex, true, -1);
    }

    /** This digest with the file's expected length. */
    public ExpectedDigest withSize(long bytes) {
        return new ExpectedDigest(hex, prefixOnly, bytes);
    }

    /** Whether a file with this SHA-256 is the expected one. */
    public boolean matches(String actualSha256) {
        return prefixOnly ? actualSha256.startsWith(hex) : actualSha256.equals(hex);
    }

    /** For messages: {@code SHA-256 c894...} or {@code a SHA-256 starting with b2777c0a}. */
    public String describe() {
        return prefixOnly ? "a SHA-256 starting with " + hex : "SHA-256 " + hex;
    }

    private static String checkPrefix(String hex) {
        String h = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
        if (!h.matches("[0-9a-f]{8,64}")) {
            throw new IllegalArgumentException("a SHA-256 prefix is 8 to 64 hex digits, got: " + hex);
        }
        return h;
    }
}
