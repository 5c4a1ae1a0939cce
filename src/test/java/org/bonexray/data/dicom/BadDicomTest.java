package org.bonexray.data.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.BadImageException.Reason;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Broken and hostile DICOM files: each is refused with its reason and the file's name; none crashes or hangs. */
@Timeout(60)
class BadDicomTest {

    static BadImageException refused(byte[] bytes, Reason reason, String words) {
        BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.decode(bytes, "bad.dcm"));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.dcm: "), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"m2_8bit_explicit.dcm", "m2_8bit_implicit.dcm", "m2_8bit_deflate.dcm", "rle_12bit.dcm",
        "jpeg_lossless_12bit.dcm", "j2k_lossless_12bit_3fragments.dcm", "m2_12bit_voi_lut.dcm"})
    void everyCutIsTruncated(String name) {
        byte[] whole = Fixtures.bytes(name);
        for (int cut = DicomFile.MAGIC_OFFSET + 4; cut < whole.length; cut += cut < 600 ? 1 : 13) {
            byte[] part = Arrays.copyOf(whole, cut);
            BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.decode(part, name),
                    name + " cut at " + cut);
            assertEquals(Reason.TRUNCATED, e.reason(), name + " cut at " + cut + ": " + e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"m2_8bit_explicit.dcm", "m2_8bit_implicit.dcm", "m2_8bit_deflate.dcm", "rle_12bit.dcm",
        "jpeg_lossless_12bit.dcm", "j2k_lossless_12bit_3fragments.dcm", "m2_12bit_voi_lut.dcm", "jpeg_baseline_8bit.dcm"})
    void flippedBytesGiveAnImageOrAReasonNeverACrash(String name) {
        byte[] whole = Fixtures.bytes(name);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (int round = 0; round < 150; round++) {
            byte[] mutated = whole.clone();
            for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
                int at = DicomFile.MAGIC_OFFSET + 4 + random.nextInt(whole.length - DicomFile.MAGIC_OFFSET - 4);
                mutated[at] = (byte) random.nextInt(256);
            }
            try {
                GrayImage image = ImageDecoder.decode(mutated, name);
                assertTrue(image.width() > 0);
            } catch (BadImageException expected) {
                assertTrue(expected.getMessage().startsWith(name + ": "), expected.getMessage());
            }
        }
    }

    @Test
    void pixelDataShorterThanRowsTimesColumns() {
        byte[] f = TestDicoms.monochrome(TestDicoms.EXPLICIT, 64, 64, 8).element(Tags.PIXEL_DATA, "OB", new byte[4000]).build();
        refused(f, Reason.CORRUPT, "hold 4000 bytes but Rows 64 x Columns 64 x 1 sample(s) x 8 bits need 4096");
    }

    @Test
    void twoFramesWorthWithoutNumberOfFrames() {
        byte[] f = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).element(Tags.PIXEL_DATA, "OB", new byte[128]).build();
        refused(f, Reason.CORRUPT, "multi-frame");
    }

    @Test
    void bombHeaderIsRefusedBeforeAnyAllocation() {
        byte[] f = TestDicoms.monochrome(TestDicoms.EXPLICIT, 65535, 65535, 16).element(Tags.PIXEL_DATA, "OW", new byte[64]).build();
        refused(f, Reason.TOO_LARGE, "65535x65535 pixels");
        byte[] small = TestDicoms.gradient(40, 30);
        assertThrows(BadImageException.class, () -> new ImageDecoder(1000, 100).read(small, "x"));
        assertEquals(30, new ImageDecoder(1200, 40).read(small, "x").width());
    }

    @Test
    void deflatedBombIsStoppedAtWhatItsHeaderAllows() {
        // a valid 8x8 image, then a private element of 256 MiB of zeros: about 256 KiB deflated
        byte[] head = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).element(Tags.PIXEL_DATA, "OB", new byte[64]).body();
        byte[] f = TestDicoms.part10("1.2.840.10008.1.2.1.99", deflate(head, 256));
        refused(f, Reason.TOO_LARGE, "inflates to more than");
    }

    @Test
    void deflatedHeaderClaimingAHugeImageIsRefusedFromTheHeader() {
        byte[] head = TestDicoms.monochrome(TestDicoms.EXPLICIT, 60000, 60000, 16).header(Tags.PIXEL_DATA, "OW", 7_200_000_000L & 0xFFFFFFFFL).body();
        refused(TestDicoms.part10("1.2.840.10008.1.2.1.99", deflate(head, 0)), Reason.TOO_LARGE, "60000x60000");
    }

    @Test
    void corruptDeflateStream() {
        byte[] junk = new byte[500];
        new SplittableRandom(3).nextBytes(junk);
        junk[0] = (byte) 0xFF;
        BadImageException e = assertThrows(BadImageException.class,
                () -> ImageDecoder.decode(TestDicoms.part10("1.2.840.10008.1.2.1.99", junk), "bad.dcm"));
        assertTrue(e.reason() == Reason.CORRUPT || e.reason() == Reason.TRUNCATED, e.getMessage());
    }

    @Test
    void unsupportedTransferSyntaxesAreNamed() {
        byte[] body = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).element(Tags.PIXEL_DATA, "OB", new byte[64]).body();
        refused(TestDicoms.part10("1.2.840.10008.1.2.4.80", body), Reason.UNSUPPORTED_FORMAT, "JPEG-LS Lossless");
        refused(TestDicoms.part10("1.2.840.10008.1.2.4.201", body), Reason.UNSUPPORTED_FORMAT, "High-Throughput");
        refused(TestDicoms.part10("1.2.3.4.5", body), Reason.UNSUPPORTED_FORMAT, "1.2.3.4.5 (unknown or private)");
    }

    @Test
    void multiFrameIsRefused() {
        byte[] f = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).text(Tags.NUMBER_OF_FRAMES, "IS", "2")
                .element(Tags.PIXEL_DATA, "OB", new byte[128]).build();
        refused(f, Reason.UNSUPPORTED_FORMAT, "multi-frame image (2 frames)");
        byte[] rle = TestDicoms.monochrome(TestDicoms.RLE, 8, 8, 8).encapsulated(2, new byte[64], new byte[64]).build();
        refused(rle, Reason.UNSUPPORTED_FORMAT, "offset table lists 2 frames");
    }

    @Test
    void sequencesNestedTooDeep() {
        TestDicoms t = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8);
        for (int i = 0; i < 20; i++) {
            t.header(0x00091010, "SQ", 0xFFFFFFFFL).header(Tags.ITEM, null, 0xFFFFFFFFL);
        }
        refused(t.build(), Reason.CORRUPT, "nested more than 16 deep");
    }

    @Test
    void lengthsClaimingMoreThanTheFileHolds() {
        byte[] sequence = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).header(0x00091010, "SQ", 1_000_000_000L).build();
        refused(sequence, Reason.TRUNCATED, "sequence (0009,1010)");
        byte[] element = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).header(0x00091011, "OB", 0xFFFFFFF0L).build();
        refused(element, Reason.TRUNCATED, "the value of (0009,1011)");
        byte[] pixels = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).header(Tags.PIXEL_DATA, "OB", 64).raw(new byte[10]).build();
        refused(pixels, Reason.TRUNCATED, "the Pixel Data");
        byte[] item = TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).header(0x00091010, "SQ", 0xFFFFFFFFL)
                .header(Tags.ITEM, null, 0xFFFFFFFFL).text(0x00091020, "LO", "no delimiter follows").build();
        refused(item, Reason.TRUNCATED, "the file ends");
    }

    @Test
    void unknownVrsPrivateTagsGroupLengthsAndUnSequencesAreSkipped() {
        byte[] px = new byte[64];
        Arrays.fill(px, (byte) 200);
        byte[] implicitSequence = new TestDicoms(TestDicoms.IMPLICIT).header(Tags.ITEM, null, 0xFFFFFFFFL)
                .text(0x00091001, "LO", "inside").header(Tags.ITEM_DELIMITER, null, 0)
                .header(Tags.SEQUENCE_DELIMITER, null, 0).body();
        byte[] f = new TestDicoms(TestDicoms.EXPLICIT).element(0x00080000, "UL", TestDicoms.le(4, 10))
                .element(0x00090010, "LO", "PRIVATE CREATOR ".getBytes()).element(0x00091001, "ZZ", new byte[3])
                .header(0x00091002, "UN", 0xFFFFFFFFL).raw(implicitSequence)
                .raw(TestDicoms.monochrome(TestDicoms.EXPLICIT, 8, 8, 8).element(Tags.PIXEL_DATA, "OB", px).body())
                .build();
        GrayImage image = ImageDecoder.decode(f, "ok.dcm");
        assertEquals(200 / 255.0, image.get(3, 3), 1e-6);
    }

    @Test
    void inconsistentPixelModules() {
        refused(module("CS", Tags.PHOTOMETRIC_INTERPRETATION, "PALETTE COLOR"), Reason.UNSUPPORTED_FORMAT, "PALETTE COLOR");
        refused(module("DS", Tags.WINDOW_CENTER, "100", Tags.WINDOW_WIDTH, "0"), Reason.CORRUPT, "Window Width 0");
        refused(module("DS", Tags.WINDOW_CENTER, "100"), Reason.CORRUPT, "Center without its Width");
        refused(module("DS", Tags.RESCALE_SLOPE, "0"), Reason.CORRUPT, "Rescale Slope is 0");
        refused(module("DS", Tags.RESCALE_SLOPE, "abc"), Reason.CORRUPT, "should be a number");
        refused(module("CS", Tags.VOI_LUT_FUNCTION, "LOG", Tags.WINDOW_CENTER, "1", Tags.WINDOW_WIDTH, "2"),
                Reason.UNSUPPORTED_FORMAT, "VOI LUT Function LOG");
        byte[] bits32 = new TestDicoms(TestDicoms.EXPLICIT).us(Tags.SAMPLES_PER_PIXEL, 1)
                .text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2").us(Tags.ROWS, 2).us(Tags.COLUMNS, 2)
                .us(Tags.BITS_ALLOCATED, 32).element(Tags.PIXEL_DATA, "OB", new byte[16]).build();
        refused(bits32, Reason.UNSUPPORTED_FORMAT, "Bits Allocated 32");
        byte[] noPhotometric = new TestDicoms(TestDicoms.EXPLICIT).us(Tags.ROWS, 2).us(Tags.COLUMNS, 2)
                .us(Tags.BITS_ALLOCATED, 8).element(Tags.PIXEL_DATA, "OB", new byte[4]).build();
        refused(noPhotometric, Reason.CORRUPT, "Photometric Interpretation (0028,0004) is missing");
    }

    @Test
    void codeStreamWhoseSizeContradictsTheHeader() {
        byte[] jpeg = EncapsulatedFrame.join(parse(Fixtures.bytes("jpeg_lossless_8bit.dcm")));
        byte[] f = TestDicoms.monochrome("1.2.840.10008.1.2.4.70", 32, 64, 8).encapsulated(0, jpeg).build();
        refused(f, Reason.CORRUPT, "the jpeg stream is 64x64 pixels, the header says 64x32");
        byte[] notJpeg = TestDicoms.monochrome("1.2.840.10008.1.2.4.70", 8, 8, 8).encapsulated(0, new byte[64]).build();
        refused(notJpeg, Reason.CORRUPT, "not a JPEG stream");
        byte[] rle = TestDicoms.monochrome(TestDicoms.RLE, 8, 8, 8).encapsulated(0, new byte[64]).build();
        refused(rle, Reason.CORRUPT, "RLE header lists 0 segments");
    }

    @Test
    void notPart10() {
        byte[] f = TestDicoms.gradient(4, 4);
        f[129] = 'X';
        refused(f, Reason.NOT_AN_IMAGE, "match no image format");
    }

    private static byte[] module(String vr, Object... tagsAndValues) {
        TestDicoms t = new TestDicoms(TestDicoms.EXPLICIT);
        boolean photometricGiven = false;
        for (int i = 0; i < tagsAndValues.length; i += 2) {
            int tag = (Integer) tagsAndValues[i];
            photometricGiven |= tag == Tags.PHOTOMETRIC_INTERPRETATION;
            String v = tag == Tags.VOI_LUT_FUNCTION || tag == Tags.PHOTOMETRIC_INTERPRETATION ? "CS" : vr;
            t.text(tag, v, (String) tagsAndValues[i + 1]);
        }
        if (!photometricGiven) {
            t.text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2");
        }
        return t.us(Tags.ROWS, 2).us(Tags.COLUMNS, 2).us(Tags.BITS_ALLOCATED, 8)
                .element(Tags.PIXEL_DATA, "OB", new byte[4]).build();
    }

    private static DataSet parse(byte[] file) {
        int[] end = new int[1];
        DataSetParser.parseMeta(file, 132, java.nio.file.Path.of("x"), end);
        return DataSetParser.parse(file, end[0], file.length, true, java.nio.file.Path.of("x"), false);
    }

    /** Raw deflate of {@code head} followed by {@code zeroMiB} MiB of zeros, streamed (never held whole). */
    private static byte[] deflate(byte[] head, int zeroMiB) {
        Deflater d = new Deflater(9, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        byte[] zeros = new byte[1 << 20];
        for (int i = -1; i < zeroMiB; i++) {
            d.setInput(i < 0 ? head : zeros);
            while (!d.needsInput()) {
                out.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }
}
