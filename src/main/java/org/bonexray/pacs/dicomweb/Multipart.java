package org.bonexray.pacs.dicomweb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code multipart/related} bodies (RFC 2387) as WADO-RS answers and STOW-RS requests carry them (PS3.18 8.6).
 *
 * <p>Parsing is defensive: the boundary comes from the Content-Type header and is checked (RFC 2046: 1-70
 * characters); a part's headers are limited in size; each part is cut from bytes that really arrived, and a
 * part's own Content-Length header is ignored rather than trusted; a body without its closing delimiter is
 * refused, since it was cut short.
 */
public final class Multipart {
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    /** One part: its headers (names lower-cased) and content. */
    public record Part(Map<String, String> headers, byte[] content) {
        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    private Multipart() {
    }

    /** The value of a parameter of a header such as Content-Type, unquoted; null when absent. */
    public static String parameter(String header, String name) {
        for (String piece : splitParameters(header)) {
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = piece.substring(eq + 1).strip();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** Splits at semicolons outside quoted strings. */
    private static List<String> splitParameters(String header) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /**
     * Splits a multipart body into its parts.
     *
     * @param contentType the response's Content-Type header (must be multipart with a boundary)
     * @param maxParts the most parts accepted
     */
    public static List<Part> parse(String contentType, byte[] body, int maxParts) {
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw malformed("expected a multipart answer, got Content-Type '" + contentType + "'");
        }
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw malformed("the multipart Content-Type has no usable boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw malformed("the multipart body never opens with its boundary");
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            int after = at + delimiter.length;
            if (startsWith(body, after, new byte[] {'-', '-'})) {
                return parts;
            }
            int contentStart = lineEnd(body, after);
            int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, contentStart - 2);
            if (headersEnd < 0 || headersEnd - contentStart > MAX_HEADER_BYTES) {
                throw malformed("a multipart part has no end of headers within " + MAX_HEADER_BYTES + " bytes");
            }
            Map<String, String> headers = headers(body, contentStart, headersEnd);
            int start = headersEnd + 4;
            int next = indexOf(body, concat(CRLF, delimiter), start - 2);
            if (next < 0) {
                throw malformed("the multipart body ends inside a part (cut short?)");
            }
            if (parts.size() == maxParts) {
                throw malformed("the multipart answer has more than " + maxParts + " parts");
            }
            parts.add(new Part(headers, Arrays.copyOfRange(body, start, Math.max(start, next))));
            at = next + 2;
        }
    }

    /** The position after the line break that ends the delimiter line (transport padding allowed). */
    private static int lineEnd(byte[] body, int from) {
        int end = indexOf(body, CRLF, from);
        if (end < 0) {
            throw malformed("a multipart delimiter line does not end");
        }
        return end + 2;
    }

    private static Map<String, String> headers(byte[] body, int from, int to) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (to <= from) {
            return headers;
        }
        for (String line : new String(body, from, to - from, StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    /** A body for STOW-RS: every content as one {@code partType} part. */
    public static Body write(String partType, List<byte[]> contents) {
        while (true) {
            String boundary = "bonexray-" + UUID.randomUUID();
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            if (contents.stream().anyMatch(c -> indexOf(c, delimiter, 0) >= 0)) {
                continue; // the boundary must not occur in any content
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] c : contents) {
                out.writeBytes(delimiter);
                out.writeBytes(("\r\nContent-Type: " + partType + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.writeBytes(c);
                out.writeBytes(CRLF);
            }
            out.writeBytes(delimiter);
            out.writeBytes("--\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return new Body("multipart/related; type=\"" + partType + "\"; boundary=" + boundary, out.toByteArray());
        }
    }

    /** A written body and the Content-Type that announces it. */
    public record Body(String contentType, byte[] bytes) {
    }

    static int indexOf(byte[] data, byte[] pattern, int from) {
        int last = data.length - pattern.length;
        for (int i = Math.max(from, 0); i <= last; i++) {
            if (data[i] == pattern[0] && startsWith(data, i, pattern)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] data, int at, byte[] pattern) {
        if (at < 0 || at + pattern.length > data.length) {
            return false;
        }
        for (int j = 0; j < pattern.length; j++) {
            if (data[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static PacsException malformed(String message) {
        return new PacsException(PacsException.Kind.MALFORMED, message);
    }
}
