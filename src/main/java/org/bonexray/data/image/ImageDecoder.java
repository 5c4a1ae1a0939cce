package org.bonexray.data.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.ZipException;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.bonexray.data.dicom.DicomException;
import org.bonexray.data.dicom.DicomFile;
import org.bonexray.data.image.BadImageException.Reason;
import org.bonexray.io.ImageReaders;

/**
 * Decodes radiograph files (PNG, JPEG, BMP, GIF, DICOM Part 10) into {@link GrayImage}s, refusing bad files with
 * a reason.
 *
 * <p>The format is sniffed from the first bytes, never from the file name: DICOM by {@code DICM} after its
 * 128-byte preamble, then read by {@link DicomFile} (whose 8-bit rendering, after the file's own window, becomes
 * luminance exactly as a PNG's levels do). JPEG goes through TwelveMonkeys' reader (CMYK and YCCK files too). The image's dimensions are read
 * from its header through an {@link ImageReader} and checked against the limits before any pixel is
 * decoded, so a decompression bomb (a tiny file claiming a gigantic image) is refused without allocating
 * it. PNG chunk CRCs are verified first (see {@link PngChunks}) and any decoder warning (the JPEG decoder
 * only warns about a file that ends early or has corrupt entropy data) is an error. Every failure is a
 * {@link BadImageException}, never an unchecked crash.
 *
 * <p>Thread-safe: each call makes its own reader and in-memory stream (no disk cache) and an instance
 * holds only its immutable limits.
 */
public final class ImageDecoder {
    /** Default pixel-count limit: 40 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** Default limit for either side, in pixels. */
    public static final int DEFAULT_MAX_SIDE = 20_000;
    /** Files longer than this are refused before being read: no radiograph is anywhere near 1 GiB. */
    public static final long MAX_FILE_BYTES = 1L << 30;
    /** The decoder with the default limits. */
    public static final ImageDecoder STANDARD = new ImageDecoder(DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE);

    private final long maxPixels;
    private final int maxSide;

    /**
     * Creates a decoder with its own limits.
     *
     * @param maxPixels the largest width * height accepted
     * @param maxSide   the largest width or height accepted
     */
    public ImageDecoder(long maxPixels, int maxSide) {
        if (maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxPixels + ", " + maxSide);
        }
        this.maxPixels = maxPixels;
        this.maxSide = maxSide;
    }

    /** Decodes a file with the default limits. */
    public static GrayImage decode(Path file) {
        return STANDARD.read(file);
    }

    /** Decodes bytes (an upload, say) with the default limits; {@code nameForErrors} names them in messages. */
    public static GrayImage decode(byte[] bytes, String nameForErrors) {
        return STANDARD.read(bytes, nameForErrors);
    }

    /** The largest width * height accepted. */
    public long maxPixels() {
        return maxPixels;
    }

    /** The largest side accepted. */
    public int maxSide() {
        return maxSide;
    }

    /** Decodes a file with this decoder's limits. */
    public GrayImage read(Path file) {
        return readRadiograph(file).image();
    }

    /** Decodes a file with this decoder's limits, keeping its DICOM header when it has one. */
    public Radiograph readRadiograph(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new BadImageException(file, Reason.TOO_LARGE, "the file has " + size + " bytes");
            }
            if (Files.isDirectory(file)) {
                throw new BadImageException(file, Reason.UNREADABLE, "it is a directory");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadImageException(file, Reason.UNREADABLE, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new BadImageException(file, Reason.UNREADABLE, "permission denied", e);
        } catch (IOException e) {
            throw new BadImageException(file, Reason.UNREADABLE, e.toString(), e);
        }
        return decodeBytes(bytes, file);
    }

    /** Decodes bytes with this decoder's limits; {@code nameForErrors} names them in messages. */
    public GrayImage read(byte[] bytes, String nameForErrors) {
        return readRadiograph(bytes, nameForErrors).image();
    }

    /** Decodes bytes (an upload, a PACS instance), keeping the DICOM header when they are a DICOM file. */
    public Radiograph readRadiograph(byte[] bytes, String nameForErrors) {
        Path name = nameAsPath(nameForErrors);
        if (bytes == null) {
            throw new BadImageException(name, Reason.EMPTY, "no bytes");
        }
        return decodeBytes(bytes, name);
    }

    private Radiograph decodeBytes(byte[] bytes, Path file) {
        ImageFormat format = ImageFormat.sniff(bytes, file);
        if (format == ImageFormat.DICOM) {
            return decodeDicom(bytes, file);
        }
        return new Radiograph(decodePicture(bytes, file, format), null);
    }

    private Radiograph decodeDicom(byte[] bytes, Path file) {
        try {
            DicomFile dicom = DicomFile.read(bytes, file, maxPixels, maxSide);
            return new Radiograph(GrayConversion.toGray(dicom.image(), file), dicom.header());
        } catch (DicomException e) {
            throw new BadImageException(file, reasonOf(e.kind()), "DICOM: " + e.detail(), e);
        } catch (OutOfMemoryError e) {
            throw new BadImageException(file, Reason.TOO_LARGE, "not enough memory to decode it", null);
        }
    }

    private static Reason reasonOf(DicomException.Kind kind) {
        return switch (kind) {
            case UNSUPPORTED -> Reason.UNSUPPORTED_FORMAT;
            case TRUNCATED -> Reason.TRUNCATED;
            case TOO_LARGE -> Reason.TOO_LARGE;
            case CORRUPT -> Reason.CORRUPT;
        };
    }

    private GrayImage decodePicture(byte[] bytes, Path file, ImageFormat format) {
        ImageReader reader = readerFor(format, file);
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> {
                if (!aboutColourProfile(warning)) {
                    warnings.add(warning);
                }
            });
            checkSize(reader.getWidth(0), reader.getHeight(0), file);
            if (format == ImageFormat.PNG) {
                PngChunks.verify(bytes, file);
            }
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                String all = String.join("; ", warnings);
                throw new BadImageException(file, mentionsEarlyEnd(all) ? Reason.TRUNCATED : Reason.CORRUPT,
                        format.label() + " decoder: " + all);
            }
            return GrayConversion.toGray(image, file);
        } catch (BadImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            Reason reason = classify(e);
            if (reason == Reason.CORRUPT && format == ImageFormat.JPEG && !hasJpegEnd(bytes)) {
                // A JPEG cut before its scan data fails with "no image data"; without an end marker
                // the likeliest story is a file that stopped early.
                reason = Reason.TRUNCATED;
            }
            throw new BadImageException(file, reason, format.label() + " decoder: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            // Within the limits this only happens when the heap is already nearly full; refusing the one
            // image is better than losing the whole run.
            throw new BadImageException(file, Reason.TOO_LARGE, "not enough memory to decode it", null);
        } finally {
            reader.dispose();
        }
    }

    private void checkSize(int width, int height, Path file) {
        if (width <= 0 || height <= 0) {
            throw new BadImageException(file, Reason.CORRUPT, "header gives size " + width + "x" + height);
        }
        if (width > maxSide || height > maxSide || (long) width * height > maxPixels) {
            throw new BadImageException(file, Reason.TOO_LARGE, width + "x" + height + " pixels, limits are "
                    + maxSide + " per side and " + maxPixels + " in all");
        }
    }

    private static ImageReader readerFor(ImageFormat format, Path file) {
        return ImageReaders.forFormat(format.label()).orElseThrow(() ->
                new BadImageException(file, Reason.UNSUPPORTED_FORMAT, "no " + format.label() + " reader"));
    }

    /** Maps a decoder's exception to a reason by its cause chain: early end of data, bad zlib data, etc. */
    static Reason classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof EOFException || mentionsEarlyEnd(message)) {
                return Reason.TRUNCATED;
            }
            if (t instanceof ZipException || t instanceof DataFormatException) {
                return Reason.CORRUPT;
            }
            if (message.contains("unsupported image type") || message.contains("unsupported jpeg process")
                    || message.contains("unsupported color conversion")) {
                return Reason.UNSUPPORTED_FORMAT;
            }
        }
        return Reason.CORRUPT;
    }

    /** Whether the JPEG end-of-image marker FF D9 occurs (entropy data escapes FF, so it cannot fake one). */
    private static boolean hasJpegEnd(byte[] bytes) {
        for (int i = bytes.length - 2; i >= 2; i--) {
            if (bytes[i] == (byte) 0xFF && bytes[i + 1] == (byte) 0xD9) {
                return true;
            }
        }
        return false;
    }

    /**
     * TwelveMonkeys warns when a CMYK file carries no ICC profile and it converts with a default one: the colours
     * may be a little off, which luminance hardly feels, and the pixel data are intact, so that warning alone passes.
     */
    private static boolean aboutColourProfile(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("icc") && w.contains("profile") && !mentionsEarlyEnd(w) && !w.contains("corrupt");
    }

    private static boolean mentionsEarlyEnd(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("premature end") || m.contains("unexpected end") || m.contains("end of file")
                || m.contains("eof");
    }

    /** An upload's name as a path for messages, whatever characters it holds. */
    static Path nameAsPath(String name) {
        String safe = name == null || name.isBlank() ? "(upload)" : name;
        try {
            return Path.of(safe);
        } catch (InvalidPathException e) {
            return Path.of(safe.replaceAll("[^\\p{Alnum}._ -]", "_"));
        }
    }
}
