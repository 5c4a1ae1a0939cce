package org.bonexray.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.bonexray.data.DataException;
import org.bonexray.data.image.BadImageException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corpus of broken files: each is refused with the right reason and a message naming it, none crashes. */
class ImageDecoderBadFilesTest {
    @TempDir
    Path dir;

    @Test
    void emptyFile() throws IOException {
        assertBad(write("empty.png", new byte[0]), Reason.EMPTY);
    }

    @Test
    void textFileNamedPng() throws IOException {
        assertBad(write("notes.png", "patient 11185, study 1\n".getBytes(StandardCharsets.UTF_8)),
                Reason.NOT_AN_IMAGE);
    }

    @Test
    void randomBytes() throws IOException {
        byte[] bytes = new byte[4096];
        new SplittableRandom(7).nextBytes(bytes);
        bytes[0] = 0x13;
        assertBad(write("random.jpg", bytes), Reason.NOT_AN_IMAGE);
    }

    @Test
    void pngTruncatedInsideIdat() throws IOException {
        byte[] png = noisePng();
        int idat = indexOf(png, "IDAT");
        int length = ByteBuffer.wrap(png, idat - 4, 4).getInt();
        byte[] cut = Arrays.copyOf(png, idat + 4 + length / 2);
        assertBad(write("cut.png", cut), Reason.TRUNCATED);
    }

    @Test
    void pngWithFlippedIdatBytes() throws IOException {
        byte[] png = noisePng();
        int data = indexOf(png, "IDAT") + 4;
        for (int i = 40; i < 48; i++) {
            png[data + i] ^= (byte) 0xA5;
        }
        assertBad(write("flipped.png", png), Reason.CORRUPT);
    }

    @Test
    void pngWithOnlyASignatureFragment() throws IOException {
        assertBad(write("stub.png", Arrays.copyOf(PngChunks.SIGNATURE, 5)), Reason.TRUNCATED);
    }

    @Test
    void pngClaimingHundredThousandSquaredIsRefusedBeforeDecoding() throws IOException {
        // 10^10 pixels: decoding would need 10 GB; refusing from the header costs nothing.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PngChunks.SIGNATURE);
        out.writeBytes(TestPngs.chunk("IHDR", TestPngs.ihdr(100_000, 100_000, 8, TestPngs.GRAY)));
        out.writeBytes(TestPngs.chunk("IDAT", TestPngs.deflate(new byte[1000])));
        out.writeBytes(TestPngs.chunk("IEND", new byte[0]));
        BadImageException e = assertBad(write("bomb.png", out.toByteArray()), Reason.TOO_LARGE);
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
    }

    @Test
    void headerOnlyBombIsAlsoTooLarge() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PngChunks.SIGNATURE);
        out.writeBytes(TestPngs.chunk("IHDR", TestPngs.ihdr(30_000, 10, 8, TestPngs.GRAY)));
        assertBad(write("wide.png", out.toByteArray()), Reason.TOO_LARGE);
    }

    @Test
    void configurableLimits() throws IOException {
        Path file = write("small.png", TestPngs.png(20, 10, 8, TestPngs.GRAY, new int[200], null, null));
        ImageDecoder strict = new ImageDecoder(199, 100);
        BadImageException e = assertThrows(BadImageException.class, () -> strict.read(file));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals(20, new ImageDecoder(200, 20).read(file).width());
        assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(0, 10));
    }

    @Test
    void truncatedJpeg() throws IOException {
        byte[] jpeg = encode(noise(64, 64, BufferedImage.TYPE_BYTE_GRAY), "jpeg");
        assertBad(write("cut.jpg", Arrays.copyOf(jpeg, jpeg.length / 2)), Reason.TRUNCATED);
    }

    @Test
    void jpegHeaderOnly() throws IOException {
        byte[] jpeg = encode(noise(16, 16, BufferedImage.TYPE_BYTE_GRAY), "jpeg");
        assertBad(write("head.jpg", Arrays.copyOf(jpeg, 40)), Reason.TRUNCATED);
    }

    @Test
    void tiffIsUnsupported() throws IOException {
        byte[] tiff = encode(noise(8, 8, BufferedImage.TYPE_BYTE_GRAY), "tiff");
        assertBad(write("scan.png", tiff), Reason.UNSUPPORTED_FORMAT);
    }

    @Test
    void missingFileAndDirectoryAreUnreadable() throws IOException {
        assertBad(dir.resolve("absent.png"), Reason.UNREADABLE);
        assertBad(Files.createDirectory(dir.resolve("folder.png")), Reason.UNREADABLE);
    }

    @Test
    void uploadedBytesAreNamedByTheirName() {
        BadImageException e = assertThrows(BadImageException.class,
                () -> ImageDecoder.decode("hello".getBytes(StandardCharsets.UTF_8), "xray-upload.png"));
        assertEquals(Reason.NOT_AN_IMAGE, e.reason());
        assertTrue(e.getMessage().startsWith("xray-upload.png: "), e.getMessage());
        BadImageException odd = assertThrows(BadImageException.class,
                () -> ImageDecoder.decode(new byte[0], "bad\0name"));
        assertEquals(Reason.EMPTY, odd.reason());
    }

    @Test
    void everyPrefixOfAValidPngFailsCleanly() throws IOException {
        byte[] png = encode(noise(12, 9, BufferedImage.TYPE_BYTE_GRAY), "png");
        for (int n = 0; n < png.length; n++) {
            byte[] prefix = Arrays.copyOf(png, n);
            BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.decode(prefix, "p"),
                    "prefix of " + n + " bytes");
            assertTrue(n == 0 ? e.reason() == Reason.EMPTY : e.reason() == Reason.TRUNCATED,
                    n + " bytes: " + e.getMessage());
        }
    }

    @Test
    void randomlyDamagedFilesNeverEscapeAsOtherExceptions() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        for (String format : new String[] {"png", "jpeg", "bmp", "gif"}) {
            byte[] good = encode(noise(24, 16, BufferedImage.TYPE_3BYTE_BGR), format);
            for (int trial = 0; trial < 40; trial++) {
                byte[] bad = good.clone();
                for (int k = 0; k < 4; k++) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
                try {
                    GrayImage image = ImageDecoder.decode(bad, format + trial);
                    assertTrue(image.width() > 0);
                } catch (BadImageException e) {
                    assertTrue(e.getMessage().startsWith(format + trial + ": "), e.getMessage());
                }
            }
        }
    }

    private BadImageException assertBad(Path file, Reason reason) {
        BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.decode(file));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e instanceof DataException);
        assertEquals(file, e.path());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(reason.words()), e.getMessage());
        return e;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] noisePng() throws IOException {
        return encode(noise(64, 64, BufferedImage.TYPE_BYTE_GRAY), "png");
    }

    static BufferedImage noise(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        SplittableRandom random = new SplittableRandom(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(ascii + " not found");
    }
}
