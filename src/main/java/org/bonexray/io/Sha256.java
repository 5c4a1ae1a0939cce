package org.bonexray.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** SHA-256 digests as lower-case hex: of files, of bytes, and of content fed to a digest piece by piece. */
public final class Sha256 {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    private Sha256() {
    }

    /** Returns the SHA-256 of a file's content as 64 lower-case hex digits. */
    public static String of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return hex(digest);
    }

    /** Returns the SHA-256 of bytes as 64 lower-case hex digits. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /**
     * Returns {@code hex} in lower case.
     *
     * @throws IllegalArgumentException unless it is 64 hex digits
     */
    public static String normalize(String hex) {
        if (hex == null || !HEX64.matcher(hex.strip()).matches()) {
            throw new IllegalArgumentException("a SHA-256 is 64 hex digits, got: " + hex);
        }
        return hex.strip().toLowerCase(Locale.ROOT);
    }

    /** Finishes {@code digest} and returns its value as 64 lower-case hex digits. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A fresh SHA-256 digest, to feed content that arrives in pieces. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
