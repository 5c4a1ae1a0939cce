package org.bonexray.data.dicom;

import java.nio.file.Path;
import org.bonexray.data.DataException;

/** A DICOM file cannot be used; the message names the file and says why, never with patient data. */
public final class DicomException extends DataException {
    private static final long serialVersionUID = 1L;

    /** Why a file was refused; {@code data.image} maps these to its own reasons. */
    public enum Kind {
        /** A transfer syntax, photometric interpretation, bit depth or layout this reader does not decode. */
        UNSUPPORTED,
        /** The file ends before an element, a fragment or the pixel data does. */
        TRUNCATED,
        /** The structure or the values contradict each other or the standard. */
        CORRUPT,
        /** The image is larger than the decoder's limits, or its header claims so. */
        TOO_LARGE
    }

    private final Kind kind;

    DicomException(Path file, Kind kind, String detail) {
        this(file, kind, detail, null);
    }

    DicomException(Path file, Kind kind, String detail, Throwable cause) {
        super(file, detail, cause);
        this.kind = kind;
    }

    /** Why the file was refused. */
    public Kind kind() {
        return kind;
    }

    /** The detail alone, without the file name the message starts with. */
    public String detail() {
        String prefix = path() + ": ";
        String m = getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    static DicomException unsupported(Path file, String detail) {
        return new DicomException(file, Kind.UNSUPPORTED, detail);
    }

    static DicomException truncated(Path file, String detail) {
        return new DicomException(file, Kind.TRUNCATED, detail);
    }

    static DicomException corrupt(Path file, String detail) {
        return new DicomException(file, Kind.CORRUPT, detail);
    }
}
