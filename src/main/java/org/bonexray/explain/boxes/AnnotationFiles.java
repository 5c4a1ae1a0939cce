package org.bonexray.explain.boxes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.bonexray.data.DataException;

/** Finding and reading annotation files defensively: a size cap before any byte is parsed. */
final class AnnotationFiles {
    /** No annotation file of one image comes near this; a larger one is refused rather than parsed. */
    static final long MAX_PER_IMAGE_FILE = 1L << 20;
    /** A COCO file holds a whole dataset's boxes; past this it is refused rather than parsed. */
    static final long MAX_DATASET_FILE = 256L << 20;

    private AnnotationFiles() {
    }

    /** The files under a folder (any depth) whose names end in the extension, sorted by path. */
    static List<Path> list(Path dir, String extension) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(extension))
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(dir, "unreadable annotation folder: " + e.getMessage(), e);
        }
    }

    /** The files of a source: the file itself, or the folder's files of that extension (at least one). */
    static List<Path> files(Path source, String extension) {
        if (Files.isRegularFile(source)) {
            return List.of(source);
        }
        if (!Files.isDirectory(source)) {
            throw new DataException(source, "no such box file or folder");
        }
        List<Path> files = list(source, extension);
        if (files.isEmpty()) {
            throw new DataException(source, "the folder holds no " + extension + " annotation file");
        }
        return files;
    }

    /** The file's bytes, refused when larger than the cap. */
    static byte[] bytes(Path file, long cap) {
        try {
            long size = Files.size(file);
            if (size > cap) {
                throw new DataException(file, "annotation file of " + size + " bytes is over the limit of " + cap);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file, "unreadable annotation file: " + e.getMessage(), e);
        }
    }

    /** The path of a file below the source folder with forward slashes, or its name when the source is the file. */
    static String relative(Path source, Path file) {
        return (source.equals(file) ? file.getFileName() : source.relativize(file)).toString().replace('\\', '/');
    }
}
