package org.bonexray.data.dicom;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.bonexray.io.ImageReaders;

/**
 * Decodes one frame of encapsulated pixel data: its fragments joined (however many the encoder split the frame
 * into), then RLE by {@link RleFrame}, JPEG through TwelveMonkeys' ImageIO reader, JPEG 2000 through jai-imageio's.
 * The code stream's own size must match the header's, and any decoder warning (a stream that ends early, corrupt
 * entropy data) is an error, so a damaged frame is never rendered half grey.
 */
final class EncapsulatedFrame {
    private EncapsulatedFrame() {
    }

    static int[] decode(DataSet ds, PixelModule m, TransferSyntax ts) {
        byte[] stream = join(ds);
        Path file = ds.file();
        return switch (ts.encoding()) {
            case RLE -> RleFrame.decode(stream, m, file);
            case JPEG -> imageIo(stream, "jpeg", rawJpegComponents(stream, m, file), m, file);
            case JPEG_2000 -> imageIo(stream, "jpeg2000", false, m, file);
            case NATIVE -> throw new IllegalStateException("native pixel data are not encapsulated");
        };
    }

    /** The frame's bytes: every fragment in order (the Basic Offset Table may be empty, so it is not needed). */
    static byte[] join(DataSet ds) {
        DataSet.PixelData pd = ds.pixelData();
        if (pd.offsetTableEntries() > 1) {
            throw DicomException.unsupported(ds.file(), "a multi-frame image (its offset table lists "
                    + pd.offsetTableEntries() + " frames); only single-frame radiographs are read");
        }
        if (pd.fragments().isEmpty()) {
            throw DicomException.corrupt(ds.file(), "the encapsulated pixel data hold no fragment");
        }
        long total = pd.fragments().stream().mapToLong(DataSet.Fragment::length).sum();
        byte[] out = new byte[(int) total]; // fragments lie inside the file, so this is at most its size
        int at = 0;
        for (DataSet.Fragment f : pd.fragments()) {
            System.arraycopy(ds.data(), f.offset(), out, at, f.length());
            at += f.length();
        }
        return out;
    }

    /**
     * Whether the JPEG's components are to be read as stored rather than colour-converted: always for one
     * component and for lossless streams; for lossy colour only when the header says RGB and the stream carries no
     * JFIF marker or Adobe YCbCr flag (PS3.5 8.2.1: RGB then means no colour transform was applied).
     */
    private static boolean rawJpegComponents(byte[] stream, PixelModule m, Path file) {
        JpegMarkers jpeg = JpegMarkers.scan(stream);
        if (jpeg.frameMarker() == 0) {
            throw DicomException.corrupt(file, "the pixel data are not a JPEG stream (no frame header found)");
        }
        if (!jpeg.supportedProcess()) {
            throw DicomException.unsupported(file, String.format(Locale.ROOT,
                    "JPEG process with frame marker FF%02X (arithmetic or hierarchical coding)", jpeg.frameMarker()));
        }
        if (!jpeg.lossless() && jpeg.precision() != 8) {
            throw DicomException.unsupported(file, "lossy JPEG with " + jpeg.precision()
                    + "-bit samples; lossy JPEG is read at 8 bits (use JPEG lossless or JPEG 2000 for more)");
        }
        if (jpeg.components() != m.samplesPerPixel()) {
            throw DicomException.corrupt(file, "the JPEG stream has " + jpeg.components() + " component(s), the header "
                    + m.samplesPerPixel() + " sample(s) per pixel");
        }
        return m.monochrome() || jpeg.lossless()
                || "RGB".equals(m.photometric()) && !jpeg.jfif() && jpeg.adobeTransform() != 1;
    }

    private static int[] imageIo(byte[] stream, String format, boolean raw, PixelModule m, Path file) {
        ImageReader reader = ImageReaders.forFormat(format).orElseThrow(() -> DicomException.unsupported(file,
                "no ImageIO reader for " + format + " on the class path"));
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(stream))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != m.columns() || h != m.rows()) {
                throw DicomException.corrupt(file, "the " + format + " stream is " + w + "x" + h
                        + " pixels, the header says " + m.columns() + "x" + m.rows());
            }
            Raster raster = raw ? reader.readRaster(0, null) : reader.read(0).getRaster();
            if (!warnings.isEmpty()) {
                throw new DicomException(file, earlyEnd(String.join("; ", warnings)) ? DicomException.Kind.TRUNCATED
                        : DicomException.Kind.CORRUPT, format + " decoder: " + String.join("; ", warnings));
            }
            return samples(raster, m, file);
        } catch (DicomException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            boolean eof = e instanceof EOFException || earlyEnd(String.valueOf(e.getMessage()));
            throw new DicomException(file, eof ? DicomException.Kind.TRUNCATED : DicomException.Kind.CORRUPT,
                    format + " decoder: " + e, e);
        } finally {
            reader.dispose();
        }
    }

    private static int[] samples(Raster raster, PixelModule m, Path file) {
        if (raster.getNumBands() != m.samplesPerPixel()) {
            throw DicomException.corrupt(file, "the decoded image has " + raster.getNumBands()
                    + " band(s), the header " + m.samplesPerPixel() + " sample(s) per pixel");
        }
        int[] px = raster.getPixels(raster.getMinX(), raster.getMinY(), m.columns(), m.rows(), (int[]) null);
        boolean signedRaster = raster.getDataBuffer().getDataType() == DataBuffer.TYPE_SHORT;
        for (int i = 0; i < px.length; i++) {
            px[i] = m.decoded(px[i], signedRaster);
        }
        return px;
    }

    private static boolean earlyEnd(String message) {
        String s = message.toLowerCase(Locale.ROOT);
        return s.contains("premature end") || s.contains("unexpected end") || s.contains("end of file")
                || s.contains("eof");
    }
}
