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

    /** {@code image} as an 8-bit MONOCHROME2 DICOM file (explicit VR little endian), with a Body Part Examined. */
    public static byte[] asDicom(GrayImage image, String bodyPartExamined) {
        byte[] levels = new byte[image.pixels().length + image.pixels().length % 2];
        for (int i = 0; i < image.pixels().length; i++) {
            levels[i] = (byte) Math.round(image.pixels()[i] * 255);
        }
        TestDicoms t = TestDicoms.monochrome(TestDicoms.EXPLICIT, image.height(), image.width(), 8);
        if (bodyPartExamined != null) {
            t.text(Tags.BODY_PART_EXAMINED, "CS", bodyPartExamined);
        }
        return t.element(Tags.PIXEL_DATA, "OB", levels).build();
    }

    /** A file that is no image: a structured report's header without Pixel Data. */
    public static byte[] dicomWithoutImage() {
        return new TestDicoms(TestDicoms.EXPLICIT).text(Tags.SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.88.11")
                .text(Tags.MODALITY, "CS", "SR").build();
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
