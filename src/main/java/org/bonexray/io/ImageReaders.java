package org.bonexray.io;

import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

/**
 * Picks the ImageIO reader for a format. For JPEG it is TwelveMonkeys' (which reads CMYK, YCCK and lossless JPEG and
 * hands baseline files to the JDK's decoder itself), whatever order the plugin registry lists readers in; both
 * plugins register through {@code META-INF/services}, found on the class path in tests and in the launcher's
 * {@code target/lib/*} alike.
 */
public final class ImageReaders {
    private static final String PREFERRED_PACKAGE = "com.twelvemonkeys.";

    private ImageReaders() {
    }

    /** A new reader for {@code formatName} ("png", "jpeg", "jpeg2000"...), empty when no plugin reads it. */
    public static Optional<ImageReader> forFormat(String formatName) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(formatName);
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (chosen == null || !isPreferred(chosen) && isPreferred(r)) {
                if (chosen != null) {
                    chosen.dispose();
                }
                chosen = r;
            } else {
                r.dispose();
            }
        }
        return Optional.ofNullable(chosen);
    }

    private static boolean isPreferred(ImageReader r) {
        return r.getClass().getName().startsWith(PREFERRED_PACKAGE);
    }
}
