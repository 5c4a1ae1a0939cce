package org.bonexray.serve;

import java.util.Locale;

/**
 * Turns a client-supplied file name into a safe display name: the last path segment only, printable
 * characters from a small set, bounded length. Names are only ever echoed, never used as paths.
 */
public final class UploadNames {
    static final int MAX_LENGTH = 100;

    private UploadNames() {
    }

    /** The sanitised name, or {@code image-N} (1-based) when nothing usable is left. */
    public static String sanitize(String raw, int index) {
        String fallback = String.format(Locale.ROOT, "image-%d", index + 1);
        if (raw == null) {
            return fallback;
        }
        // browsers on Windows may send a full path; either separator ends a directory part
        String last = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < last.length() && out.length() < MAX_LENGTH; i++) {
            char c = last.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ' ' || c == '(' || c == ')';
            out.append(safe ? c : '_');
        }
        String name = out.toString().strip();
        while (name.startsWith(".")) {
            name = name.substring(1); // no hidden names, no "." or ".."
        }
        return name.isEmpty() ? fallback : name;
    }
}
