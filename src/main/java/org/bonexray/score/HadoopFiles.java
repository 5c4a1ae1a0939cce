package org.bonexray.score;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The few file operations the Spark job needs, through Hadoop's {@link FileSystem} so that inputs and outputs may
 * live on any file system Spark reads (local, HDFS, object stores). Writes go to a temporary name and are renamed
 * into place, the project's rule for results ({@code io.AtomicFiles} does the same for local paths only); on object
 * stores without atomic rename a rename is a copy, which still never leaves a half-written file under the final name.
 */
final class HadoopFiles {
    private HadoopFiles() {
    }

    static Path path(String location) {
        return new Path(location);
    }

    static FileSystem fs(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("no file system for " + path + ": " + e.getMessage(), e);
        }
    }

    static boolean exists(Path path, Configuration conf) {
        try {
            return fs(path, conf).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to {@code target} by way of a temporary sibling, replacing what was there. */
    static void writeAtomically(Path target, byte[] bytes, Configuration conf) {
        writeAtomically(target, "tmp", conf, out -> out.write(bytes));
    }

    /** What writes a file's content. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} by way of a temporary sibling named with {@code attempt}, then renames it into place.
     *
     * @return false when another writer put the file in place first (a speculative or retried task), true otherwise
     */
    static boolean writeAtomically(Path target, String attempt, Configuration conf, Content content) {
        FileSystem fs = fs(target, conf);
        fs.setWriteChecksum(false); // no .crc sidecar files beside the results on a local disk
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + attempt + ".tmp");
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                content.writeTo(out);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                if (fs.exists(target)) {
                    return false;
                }
                throw new IOException("rename of " + tmp + " failed");
            }
            return true;
        } catch (IOException e) {
            try {
                fs.delete(tmp, false);
            } catch (IOException ignored) {
                // the temporary name is cleaned at the next run's start
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a whole file, refusing one longer than {@code maxBytes} before reading it.
     *
     * @throws IOException when it cannot be read or is too large (the message says which)
     */
    static byte[] readAll(Path file, long maxBytes, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        FileStatus status = fs.getFileStatus(file);
        if (status.isDirectory()) {
            throw new IOException("a folder, not an image");
        }
        if (status.getLen() > maxBytes) {
            throw new IOException("file of " + status.getLen() + " bytes, more than the " + maxBytes + " an image may have");
        }
        try (InputStream in = fs.open(file)) {
            return in.readNBytes((int) status.getLen());
        }
    }

    /** Names of the files directly in {@code dir} (none when it does not exist). */
    static List<String> list(Path dir, Configuration conf) {
        FileSystem fs = fs(dir, conf);
        List<String> names = new ArrayList<>();
        try {
            if (!fs.exists(dir)) {
                return names;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                names.add(s.getPath().getName());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path path, Configuration conf) {
        try {
            fs(path, conf).delete(path, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code target} (a folder Spark wrote a table into) with {@code staged}. */
    static void replace(Path staged, Path target, Configuration conf) {
        FileSystem fs = fs(target, conf);
        try {
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            fs.mkdirs(target.getParent());
            if (!fs.rename(staged, target)) {
                throw new IOException("rename of " + staged + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put " + target + " in place: " + e.getMessage(), e);
        }
    }

    /** A location as a URI string: a plain local path becomes {@code file:...}. */
    static String uri(java.nio.file.Path local) {
        URI uri = local.toAbsolutePath().normalize().toUri();
        return uri.toString();
    }
}
