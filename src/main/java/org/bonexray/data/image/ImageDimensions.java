package org.bonexray.data.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.bonexray.data.image.BadImageException.Reason;
import org.bonexray.io.ImageReaders;

/**
 * The width and height of a radiograph file, read from its header where ImageIO can (PNG, JPEG, BMP, GIF: no pixel
 * is decoded) and by decoding the whole file for DICOM, whose size sits behind a parse of the data set.
 */
public final class ImageDimensions {
    /** Bytes read to recognise the format: enough for DICOM's 128-byte preamble and {@code DICM}. */
    private static final int SNIFF_BYTES = 132;

    /** A width and a height in pixels. */
    public record Size(int width, int height) {
    }

    private ImageDimensions() {
    }

    /**
     * The file's size in pixels.
     *
     * @param file an image file
     * @return its width and height
     * @throws BadImageException when the file is no readable image (with the reason)
     */
    public static Size of(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            throw new BadImageException(file, Reason.UNREADABLE, e.toString(), e);
        }
        ImageFormat format = ImageFormat.sniff(head, file);
        if (format == ImageFormat.DICOM) {
            GrayImage image = ImageDecoder.decode(file);
            return new Size(image.width(), image.height());
        }
        ImageReader reader = ImageReaders.forFormat(format.label()).orElseThrow(() ->
                new BadImageException(file, Reason.UNSUPPORTED_FORMAT, "no " + format.label() + " reader"));
        try (InputStream in = Files.newInputStream(file);
             ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
            reader.setInput(stream, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new BadImageException(file, Reason.CORRUPT, "header gives size " + width + "x" + height);
            }
            return new Size(width, height);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadImageException bad) {
                throw bad;
            }
            throw new BadImageException(file, ImageDecoder.classify(e), format.label() + " header: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }
}
