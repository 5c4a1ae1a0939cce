package org.bonexray.data;

import java.nio.file.Path;

/**
 * One problem found in a MURA-format tree, with the file or folder at fault and the reason.
 *
 * @param kind what is wrong
 * @param path the file or folder (or CSV) at fault
 * @param detail specifics, for example the CSV line number and the two contradicting labels
 */
public record ValidationIssue(IssueKind kind, Path path, String detail) {

    @Override
    public String toString() {
        return path + ": " + kind.description() + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
