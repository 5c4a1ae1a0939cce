package org.bonexray.pacs.dicom;

import java.io.ByteArrayOutputStream;
import org.bonexray.Versions;

/**
 * Writes a data set as a DICOM Part 10 file (PS3.10 7.1): the 128-byte preamble, {@code DICM}, the file meta
 * group and the data set, all explicit VR little endian.
 */
public final class Part10 {
    private static final int PREAMBLE = 128;

    private Part10() {
    }

    /** The file's bytes; the SOP class and instance UIDs of the meta group come from the data set. */
    public static byte[] write(DicomDataset dataset) {
        String sopClass = dataset.string(Tags.SOP_CLASS_UID);
        String sopInstance = dataset.string(Tags.SOP_INSTANCE_UID);
        if (sopClass.isEmpty() || sopInstance.isEmpty()) {
            throw new IllegalArgumentException("a DICOM file needs its SOP Class and SOP Instance UIDs");
        }
        DicomDataset meta = new DicomDataset()
                .putBytes(Tags.FILE_META_VERSION, Vr.OB, new byte[] {0, 1})
                .put(Tags.MEDIA_STORAGE_SOP_CLASS, Vr.UI, sopClass)
                .put(Tags.MEDIA_STORAGE_SOP_INSTANCE, Vr.UI, sopInstance)
                .put(Tags.TRANSFER_SYNTAX, Vr.UI, DicomUids.EXPLICIT_VR_LITTLE_ENDIAN)
                .put(Tags.IMPLEMENTATION_CLASS, Vr.UI, DicomUids.IMPLEMENTATION_CLASS)
                .put(Tags.IMPLEMENTATION_VERSION, Vr.SH, implementationVersion());
        byte[] metaBytes = meta.encode();
        byte[] body = dataset.encode();
        ByteArrayOutputStream out = new ByteArrayOutputStream(PREAMBLE + 16 + metaBytes.length + body.length);
        out.writeBytes(new byte[PREAMBLE]);
        out.writeBytes(new byte[] {'D', 'I', 'C', 'M'});
        DicomDataset.writeHeader(out, Tags.FILE_META_GROUP_LENGTH, Vr.UL, 4);
        int length = metaBytes.length;
        out.write(length);
        out.write(length >>> 8);
        out.write(length >>> 16);
        out.write(length >>> 24);
        out.writeBytes(metaBytes);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** {@code BONEXRAY_} and the version, cut to the 16 characters SH allows. */
    static String implementationVersion() {
        String v = ("BONEXRAY_" + Versions.bonexray()).replaceAll("[^A-Za-z0-9._-]", "_");
        return v.length() > 16 ? v.substring(0, 16) : v;
    }
}
