package org.bonexray.model.weights;

import java.net.http.HttpHeaders;
import java.util.Locale;

/**
 * What the hub says about a file in answer to a HEAD request on its resolve URL: the commit the revision points
 * to ({@code X-Repo-Commit}), the file's SHA-256 (for files stored with Git LFS, {@code X-Linked-Etag}; the
 * plain {@code ETag} when it is a SHA-256 too) and its length ({@code X-Linked-Size}).
 *
 * @param commit 40 hex digits, or null when the hub did not say
 * @param sha256 64 hex digits, or null when the hub publishes none
 * @param size bytes, or -1
 */
record HubMetadata(String commit, String sha256, long size) {
    static HubMetadata of(HttpHeaders headers) {
        String commit = headers.firstValue("X-Repo-Commit").map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> v.matches("[0-9a-f]{40}")).orElse(null);
        String sha = headers.firstValue("X-Linked-Etag").map(HubMetadata::unquote).filter(HubMetadata::isSha256)
                .or(() -> headers.firstValue("ETag").map(HubMetadata::unquote).filter(HubMetadata::isSha256))
                .orElse(null);
        long size = headers.firstValueAsLong("X-Linked-Size").orElse(-1);
        return new HubMetadata(commit, sha, size);
    }

    private static String unquote(String etag) {
        String v = etag.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        return v.replace("\"", "").toLowerCase(Locale.ROOT);
    }

    private static boolean isSha256(String v) {
        return v.matches("[0-9a-f]{64}");
    }
}
