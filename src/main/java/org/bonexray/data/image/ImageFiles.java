package org.bonexray.data.image;

import java.nio.file.Path;
import java.util.Locale;

/** Which file names are radiographs to read: the one rule for folder scans, prediction inputs and benchmarks. */
public final class ImageFiles {
    private ImageFiles() {
    }

    /**
     * True for {@code .png}, {@code .jpg} and {@code .jpeg} names (any case) that are not hidden: macOS resource
     * forks ({@code ._image1.png}) travel with some copies of MURA and are not images. The decoder still decides
     * by content; this only picks the candidates.
     */
    public static boolean hasImageName(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg");
    }
}
