package org.bonexray.data.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A DICOM Part 10 file read: its {@link DicomHeader} and its one frame rendered to an 8-bit image (grey, or RGB
 * for colour), which {@code data.image.ImageDecoder} turns into luminance exactly as it does a PNG's levels.
 *
 * <p>Reading checks, in order: the preamble and {@code DICM}, the transfer syntax, the data set's structure, the
 * Image Pixel module and the size limits (from the header alone, before any pixel is decoded), then the pixel
 * data's length or code stream against rows, columns and bits. Each failure is a {@link DicomException}.
 */
public final class DicomFile {
    /** Where {@code DICM} stands: after the 128-byte preamble. */
    public static final int MAGIC_OFFSET = 128;
    private static final byte[] MAGIC = "DICM".getBytes(StandardCharsets.US_ASCII);

    private final DicomHeader header;
    private final BufferedImage image;

    private DicomFile(DicomHeader header, BufferedImage image) {
        this.header = header;
        this.image = image;
    }

    /** Whether the bytes carry the Part 10 marker {@code DICM} after the preamble. */
    public static boolean isDicom(byte[] bytes) {
        if (bytes.length < MAGIC_OFFSET + MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[MAGIC_OFFSET + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the header and renders the image.
     *
     * @param file      the file's path (or an upload's name), for messages
     * @param maxPixels the largest rows * columns accepted
     * @param maxSide   the largest rows or columns accepted
     */
    public static DicomFile read(byte[] bytes, Path file, long maxPixels, int maxSide) {
        Contents c = contents(bytes, file, maxPixels, maxSide, false);
        DataSet ds = c.dataSet;
        if (ds.pixelData() == null) {
            throw noPixelData(ds, c.sopClass, file);
        }
        boolean encapsulated = ds.pixelData().encapsulated();
        if (encapsulated != c.syntax.encapsulated()) {
            throw DicomException.corrupt(file, (encapsulated ? "encapsulated" : "native") + " pixel data under transfer syntax "
                    + c.syntax.label());
        }
        PixelModule m = PixelModule.of(ds, encapsulated);
        m.checkLimits(maxPixels, maxSide, file);
        int[] samples = encapsulated ? EncapsulatedFrame.decode(ds, m, c.syntax) : NativeFrame.decode(ds, m);
        BufferedImage image = m.monochrome() ? gray(GrayscaleRendering.of(ds, m).render(samples), m)
                : ColourRendering.render(samples, m, !encapsulated && "YBR_FULL".equals(m.photometric()));
        return new DicomFile(DicomHeader.of(c.syntax, ds), image);
    }

    /** Reads the header only (the pixel data are located, not decoded). */
    public static DicomHeader readHeader(byte[] bytes, Path file, long maxPixels, int maxSide) {
        Contents c = contents(bytes, file, maxPixels, maxSide, true);
        return DicomHeader.of(c.syntax, c.dataSet);
    }

    public DicomHeader header() {
        return header;
    }

    /** The rendered frame: {@code TYPE_BYTE_GRAY} for monochrome, {@code TYPE_3BYTE_BGR} for colour. */
    public BufferedImage image() {
        return image;
    }

    /** Stored (or decompressed) sample values of the frame, before any rendering; for tests against other readers. */
    static int[] storedSamples(byte[] bytes, Path file) {
        Contents c = contents(bytes, file, Long.MAX_VALUE, Integer.MAX_VALUE, false);
        PixelModule m = PixelModule.of(c.dataSet, c.syntax.encapsulated());
        return c.syntax.encapsulated() ? EncapsulatedFrame.decode(c.dataSet, m, c.syntax) : NativeFrame.decode(c.dataSet, m);
    }

    private record Contents(TransferSyntax syntax, DataSet dataSet, String sopClass) {
    }

    /**
     * No Pixel Data: a file cut between two elements when its SOP class stores images (or it has image attributes),
     * else an object that is no image (a report, a plan, a waveform).
     */
    private static DicomException noPixelData(DataSet ds, String sopClass, Path file) {
        String sop = ds.string(Tags.SOP_CLASS_UID) != null ? ds.string(Tags.SOP_CLASS_UID) : sopClass;
        if (ds.elements().isEmpty() || ds.has(Tags.ROWS) || isImageStorage(sop)) {
            return DicomException.truncated(file, "the file ends before its Pixel Data");
        }
        return DicomException.unsupported(file, "the DICOM file holds no image (no Pixel Data)"
                + (sop == null ? "" : "; its SOP Class UID is " + sop));
    }

    /** CR, DX, MG, intra-oral, CT, MR, US, secondary capture, XA/RF, NM, PET, RT and VL images (PS3.4 B.5). */
    private static boolean isImageStorage(String sop) {
        if (sop == null || !sop.startsWith(STORAGE)) {
            return false;
        }
        String rest = sop.substring(STORAGE.length());
        return rest.equals("1") || rest.startsWith("1.") || rest.equals("2") || rest.startsWith("4") || rest.startsWith("6.")
                || rest.startsWith("7") || rest.startsWith("12.") || rest.equals("20") || rest.equals("128")
                || rest.equals("481.1") || rest.startsWith("77.1.");
    }

    private static final String STORAGE = "1.2.840.10008.5.1.4.1.1.";

    private static Contents contents(byte[] bytes, Path file, long maxPixels, int maxSide, boolean headerOnly) {
        if (!isDicom(bytes)) {
            throw DicomException.corrupt(file, "no DICM marker after the 128-byte preamble: not a DICOM Part 10 file");
        }
        int[] end = new int[1];
        DataSet meta = DataSetParser.parseMeta(bytes, MAGIC_OFFSET + MAGIC.length, file, end);
        String uid = meta.string(Tags.TRANSFER_SYNTAX_UID);
        if ((uid == null || uid.isEmpty()) && bytes.length - end[0] < 8) { // not even one more element
            throw DicomException.truncated(file, "the file ends inside its file meta information");
        }
        if (uid == null || uid.isEmpty()) {
            throw DicomException.corrupt(file, "the file meta information has no Transfer Syntax UID (0002,0010)");
        }
        TransferSyntax syntax = TransferSyntax.of(uid, file);
        byte[] data = bytes;
        int start = end[0];
        if (syntax == TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
            data = Inflation.inflate(bytes, start, file, maxPixels, maxSide);
            start = 0;
        }
        boolean explicit = DataSetParser.looksExplicit(data, start, syntax.explicitVr());
        return new Contents(syntax, DataSetParser.parse(data, start, data.length, explicit, file, headerOnly),
                meta.string(0x00020002));
    }

    private static BufferedImage gray(byte[] levels, PixelModule m) {
        BufferedImage image = new BufferedImage(m.columns(), m.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(levels, 0, data, 0, levels.length);
        return image;
    }
}
