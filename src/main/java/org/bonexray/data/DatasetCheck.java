package org.bonexray.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.ImageFiles;
import org.bonexray.io.ParallelWork;
import org.bonexray.io.Progress;

/**
 * Decodes every radiograph under a folder (what training, evaluation and prediction would read: PNG, JPEG including
 * CMYK/YCCK, DICOM) on a bounded pool of threads and collects every file that fails, with its reason, so that a
 * user learns of all bad files at once before a long run rather than one per attempt.
 */
public final class DatasetCheck {
    private final ImageDecoder decoder;
    private final int threads;

    /**
     * @param decoder the decoder, with the limits training uses
     * @param threads decoding threads, at least 1
     */
    public DatasetCheck(ImageDecoder decoder, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        this.decoder = decoder;
        this.threads = threads;
    }

    /** The radiographs under {@code root} in natural order; hidden files and folders are skipped, as the scans do. */
    public static List<Path> radiographs(Path root) {
        if (!Files.isDirectory(root)) {
            throw new DataException(root, Files.exists(root) ? "not a folder" : "no such folder");
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    boolean hidden = !dir.equals(root) && dir.getFileName().toString().startsWith(".");
                    return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (ImageFiles.isRadiograph(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(MuraPaths.NATURAL_PATHS);
        return found;
    }

    /** Decodes {@code files} in parallel; {@code progress} (may be null) counts them. */
    public DatasetCheckReport run(Path root, List<Path> files, Progress progress) {
        long start = System.nanoTime();
        List<DatasetCheckReport.Outcome> outcomes = ParallelWork.map(files, threads, "dataset-check", progress,
                file -> check(root, file));
        return DatasetCheckReport.of(root, outcomes, threads, (System.nanoTime() - start) / 1e9);
    }

    /** One file's outcome; never throws, so one bad or surprising file cannot stop the check. */
    private DatasetCheckReport.Outcome check(Path root, Path file) {
        String name = root.relativize(file).toString().replace('\\', '/');
        try {
            return DatasetCheckReport.Outcome.good(name, decoder.readRadiograph(file).format());
        } catch (BadImageException e) {
            return DatasetCheckReport.Outcome.bad(name, e.reason().name(), e.reason().words(), detail(e, file));
        } catch (RuntimeException | OutOfMemoryError e) {
            return DatasetCheckReport.Outcome.bad(name, "DECODER_ERROR", "the decoder failed unexpectedly", e.toString());
        }
    }

    /** The message without the file name it starts with (the report shows the name apart). */
    private static String detail(BadImageException e, Path file) {
        String prefix = file + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
