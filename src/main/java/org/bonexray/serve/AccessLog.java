package org.bonexray.serve;

import io.javalin.http.Context;

/**
 * One line per request: method, path, status, duration and image count. Never headers, names or content,
 * so no token, patient data or image reaches the log.
 */
final class AccessLog {
    static final String IMAGES = "bonexray.images";

    private AccessLog() {
    }

    static void log(Context ctx, Float millis) {
        Integer images = ctx.attribute(IMAGES);
        BonexrayServer.LOG.info("{} {} {} {} ms{}", ctx.method(), printable(ctx.path()), ctx.statusCode(),
                String.format(java.util.Locale.ROOT, "%.1f", millis), images == null ? "" : " images=" + images);
    }

    /** The path without control characters (no log injection) and cut to a sane length. */
    static String printable(String path) {
        String p = path.length() > 120 ? path.substring(0, 120) + "..." : path;
        return p.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
