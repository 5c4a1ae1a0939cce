package org.bonexray.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aFailedWriteLeavesThePreviousFileAndNoTemporary() throws IOException {
        Path target = tmp.resolve("metrics.json");
        AtomicFiles.writeString(target, "old");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aFailedDirectoryReplacementKeepsTheOldDirectory() throws IOException {
        Path dir = tmp.resolve("model");
        AtomicFiles.replaceDirectory(dir, d -> Files.writeString(d.resolve("weights"), "v1"));
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.replaceDirectory(dir, d -> {
            Files.writeString(d.resolve("weights"), "v2-partial");
            throw new IOException("killed");
        }));
        assertEquals("v1", Files.readString(dir.resolve("weights")));
        AtomicFiles.replaceDirectory(dir, d -> Files.writeString(d.resolve("weights"), "v2"));
        assertEquals("v2", Files.readString(dir.resolve("weights")));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count(), "only the directory itself remains");
        }
    }

    @Test
    void resultsAreReadableLikeOrdinaryFiles() throws IOException {
        Path file = tmp.resolve("a.txt");
        AtomicFiles.writeString(file, "x");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Path dir = tmp.resolve("report");
        AtomicFiles.replaceDirectory(dir, d -> Files.writeString(d.resolve("index.html"), "<html>"));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(Files.isReadable(dir.resolve("index.html")));
        assertFalse(Files.exists(tmp.resolve(".report.old")));
    }
}
