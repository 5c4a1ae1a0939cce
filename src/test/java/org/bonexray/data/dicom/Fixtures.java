package org.bonexray.data.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;

/** The committed DICOM fixtures (written by tools/make_dicom_fixtures.py), read from the test class path. */
public final class Fixtures {
    private Fixtures() {
    }

    /** The bytes of {@code name} under {@code org/bonexray/data/dicom/}. */
    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GrayImage decode(String name) {
        return ImageDecoder.decode(bytes(name), name);
    }

    /** The reference radiograph every exact DICOM form must render to. */
    public static GrayImage reference() {
        return decode("radiograph.png");
    }

    /** The largest difference between two images of one size, in 8-bit levels. */
    public static int maxLevelDifference(GrayImage a, GrayImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError(a + " and " + b + " differ in size");
        }
        int max = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            max = Math.max(max, Math.round(Math.abs(a.pixels()[i] - b.pixels()[i]) * 255));
        }
        return max;
    }
}
