package org.bonexray.data;

import java.nio.file.Path;

/** A dataset, CSV or image the user pointed at cannot be used; the message names the file and the reason. */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public DataException(Path path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    public DataException(Path path, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
    }

    /** The file or folder at fault. */
    public Path path() {
        return path;
    }
}
