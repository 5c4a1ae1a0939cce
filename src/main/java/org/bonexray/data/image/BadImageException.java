package org.bonexray.data.image;

import java.nio.file.Path;
import org.bonexray.data.DataException;

/** An image file cannot be used; the message names the file and says why in plain words. */
public class BadImageException extends DataException {
    private static final long serialVersionUID = 1L;

    /** Why an image was refused. */
    public enum Reason {
        EMPTY("the file is empty"),
        NOT_AN_IMAGE("the file is not an image"),
        UNSUPPORTED_FORMAT("the image format is not supported (PNG, JPEG, BMP, GIF and DICOM are)"),
        TRUNCATED("the image is truncated: the file ends before the image data does"),
        CORRUPT("the image data is corrupt"),
        TOO_LARGE("the image is too large"),
        UNREADABLE("the file cannot be read");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** The reason as a phrase for a person. */
        public String words() {
            return words;
        }
    }

    private final Reason reason;
    private final String detail;

    /**
     * Creates the exception.
     *
     * @param file   the file at fault (or the upload's name as a path)
     * @param reason why it was refused
     * @param detail what exactly went wrong, or null
     * @param cause  the underlying error, or null
     */
    public BadImageException(Path file, Reason reason, String detail, Throwable cause) {
        super(file, detail == null || detail.isBlank() ? reason.words() : reason.words() + " (" + detail + ")",
                cause);
        this.reason = reason;
        this.detail = detail == null || detail.isBlank() ? null : detail;
    }

    /** Creates the exception without an underlying error. */
    public BadImageException(Path file, Reason reason, String detail) {
        this(file, reason, detail, null);
    }

    /** Why the image was refused. */
    public Reason reason() {
        return reason;
    }

    /** What exactly went wrong, or null when only the reason is known. */
    public String detail() {
        return detail;
    }
}
