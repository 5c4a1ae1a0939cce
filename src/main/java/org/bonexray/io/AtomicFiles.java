package org.bonexray.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes result files through a temporary sibling and a rename, so that a kill at any moment leaves
 * either the previous complete file or the new complete file, never a half-written one.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} atomically with what {@code writer} produces. */
    public static void write(Path target, Writer writer) {
        viaTemporary(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.writeTo(out);
            }
        });
    }

    /** Fills a temporary sibling of {@code target}, then renames it over {@code target}. */
    private static void viaTemporary(Path target, FileFiller fillFile) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            readableByAll(tmp, FILE_PERMISSIONS);
            try {
                fillFile.fill(tmp);
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code target} with a zero-filled file of {@code length} bytes (sparse where the file system allows),
     * made under a temporary name and renamed: for files that are then filled in place, slot by slot.
     */
    public static void createZeroed(Path target, long length) {
        viaTemporary(target, tmp -> {
            try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(tmp.toFile(), "rw")) {
                file.setLength(length);
            }
        });
    }

    /** Writes {@code value} as indented JSON. */
    public static void writeJson(Path target, Object value) {
        write(target, out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, value));
    }

    /**
     * Replaces a whole directory atomically: {@code filler} fills a temporary sibling directory, which is
     * then renamed over {@code target} (the old one is removed only after the new one is complete).
     */
    public static void replaceDirectory(Path target, DirectoryFiller filler) {
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
            readableByAll(tmp, DIRECTORY_PERMISSIONS);
            Path old = parent.resolve("." + target.getFileName() + ".old");
            try {
                filler.fill(tmp);
                deleteRecursively(old);
                if (Files.exists(target)) {
                    move(target, old);
                }
                move(tmp, target);
                deleteRecursively(old);
            } finally {
                deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Fills a fresh temporary file. */
    @FunctionalInterface
    private interface FileFiller {
        void fill(Path file) throws IOException;
    }

    /** Fills a fresh directory. */
    @FunctionalInterface
    public interface DirectoryFiller {
        void fill(Path dir) throws IOException;
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Temporary files are created private (0600, 0700); results are ordinary files, readable like any other
     * the user writes, so the permissions are opened before the rename.
     */
    private static void readableByAll(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwxr-xr-x");

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
