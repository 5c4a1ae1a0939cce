package org.bonexray.data.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.zip.CRC32C;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.io.Sha256;

/**
 * The decoded, resized images of a fixed list of files, kept as 8-bit squares ({@link Gray8}) so that later
 * epochs and later runs skip decoding and resizing.
 *
 * <p>Two tiers: in memory when all images fit the byte budget, and on disk when a folder is given, as one flat
 * file of {@code count * size * size} bytes (slot i holds image i) beside a JSON index recording, per filled
 * slot, the source's path, length, modification time and a CRC-32C of the slot's bytes. The file pair is named
 * after a hash of the preprocessing (size, resize mode) and the ordered list of paths, so the training and
 * validation lists, or another split, get their own pair.
 *
 * <p>Nothing is trusted: a slot is used only while its source's length and modification time are the recorded
 * ones and its bytes match the recorded checksum; anything else is recomputed from the source. A source that
 * fails to decode throws {@link BadImageException} and is not cached. The index is written atomically
 * ({@link AtomicFiles}), after the slots it lists were forced to disk; a new data file is made under a temporary
 * name and renamed; so a crash leaves at worst slots that are recomputed. Every method is thread-safe.
 *
 * <p>Disk trouble (full, read-only) never stops a run: the disk tier turns off with one warning on stderr and
 * the images are computed (and kept in memory when they fit) as without it.
 */
public final class ResizedImageCache implements AutoCloseable {
    /** Version of the file layout; a different one is rebuilt. */
    static final int FORMAT = 1;
    /** Newly filled slots after which the index is saved, so that a killed run keeps most of its work. */
    private static final int SAVE_EVERY = 1024;

    /** What the cache did so far: images served from it, decoded from their files, and entries found invalid. */
    public record Stats(long hits, long decodes, long rejected) {
    }

    /** A source file's length and modification time (nanoseconds since 1970), the validity key of its slot. */
    private record Stamp(long bytes, long modified) {
    }

    /** A filled slot: the stamp of the source it came from, its checksum, its bytes when held in memory. */
    private record Entry(Stamp stamp, int crc, byte[] pixels, boolean onDisk) {
        Entry withPixels(byte[] held) {
            return new Entry(stamp, crc, held, onDisk);
        }
    }

    /** The JSON index beside the data file. */
    record IndexFile(int format, int size, ResizeMode resize, int count, List<IndexEntry> entries) {
    }

    /** One filled slot in the JSON index; {@code modified} in nanoseconds since 1970. */
    record IndexEntry(int slot, String path, long bytes, long modified, int crc) {
    }

    private final Preprocessing preprocessing;
    private final List<Path> images;
    private final int stride;
    private final boolean inMemory;
    private final Path dataFile;
    private final Path indexFile;
    private final AtomicReferenceArray<Entry> entries;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong decodes = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicInteger unsaved = new AtomicInteger();
    private volatile FileChannel channel;
    private volatile boolean diskOff;
    private volatile boolean closed;

    private ResizedImageCache(Path dir, Preprocessing preprocessing, List<Path> images, long memoryBudgetBytes) {
        this.preprocessing = preprocessing;
        this.images = images.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.stride = preprocessing.size() * preprocessing.size();
        this.inMemory = (long) this.images.size() * stride <= memoryBudgetBytes;
        this.entries = new AtomicReferenceArray<>(this.images.size());
        String name = dir == null ? null : fileName(preprocessing, this.images);
        this.dataFile = dir == null ? null : dir.resolve(name + ".bin");
        this.indexFile = dir == null ? null : dir.resolve(name + ".json");
        this.diskOff = dir == null || this.images.isEmpty();
        if (!diskOff) {
            try {
                openDisk();
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                turnDiskOff("cannot open " + dataFile + ": " + e.getMessage());
            }
        }
    }

    /**
     * Opens the cache of {@code images} as {@code preprocessing} resizes them.
     *
     * @param dir               folder of the disk tier (created when missing), or null for memory only
     * @param memoryBudgetBytes the images are also held in memory when all of them fit in this many bytes
     */
    public static ResizedImageCache open(Path dir, Preprocessing preprocessing, List<Path> images, long memoryBudgetBytes) {
        return new ResizedImageCache(dir, preprocessing, images, memoryBudgetBytes);
    }

    /** Bytes the cache holds per image. */
    public int bytesPerImage() {
        return stride;
    }

    /** Whether images computed now are kept for later (in memory, or in a disk tier still working). */
    public boolean keeps() {
        return inMemory || !diskOff;
    }

    /** Whether the images are kept in memory. */
    public boolean inMemory() {
        return inMemory;
    }

    /** The data file of the disk tier, or null when there is none (no folder given, or turned off). */
    public Path dataFile() {
        return diskOff ? null : dataFile;
    }

    public Stats stats() {
        return new Stats(hits.get(), decodes.get(), rejected.get());
    }

    /**
     * Image {@code index} decoded and resized to a {@code size} x {@code size} square, in 8-bit steps.
     *
     * @throws BadImageException when the image has to be read and cannot be decoded (nothing is cached then)
     */
    public GrayImage get(int index) {
        return Gray8.image(preprocessing.size(), levels(index));
    }

    /**
     * @return whether image {@code index} is cached for its source as it is now (one file status read, no pixels:
     *     a slot whose bytes turn out damaged is still recomputed by {@link #get(int)})
     */
    public boolean holds(int index) {
        Entry entry = entries.get(index);
        return entry != null && entry.stamp().equals(stamp(images.get(index)));
    }

    /** The 8-bit pixels of image {@code index}; the array may be the cache's own: read it, never write it. */
    byte[] levels(int index) {
        Path file = images.get(index);
        Stamp stamp = stamp(file);
        Entry entry = entries.get(index);
        if (entry != null && entry.stamp().equals(stamp)) {
            if (entry.pixels() != null) {
                hits.incrementAndGet();
                return entry.pixels();
            }
            byte[] stored = readSlot(index);
            if (stored != null && crc(stored) == entry.crc()) {
                hits.incrementAndGet();
                if (inMemory) {
                    entries.compareAndSet(index, entry, entry.withPixels(stored));
                }
                return stored;
            }
            rejected.incrementAndGet();
        } else if (entry != null) {
            rejected.incrementAndGet(); // the source changed (or vanished) since it was cached
        }
        byte[] fresh = Gray8.resized(file, preprocessing);
        decodes.incrementAndGet();
        if (stamp != null) {
            boolean onDisk = writeSlot(index, fresh);
            if (onDisk || inMemory) {
                entries.set(index, new Entry(stamp, crc(fresh), inMemory ? fresh : null, onDisk));
            }
            if (onDisk && unsaved.incrementAndGet() >= SAVE_EVERY) {
                save();
            }
        }
        return fresh;
    }

    /** Writes the index of the slots filled so far (after forcing their bytes to disk); cheap when none are new. */
    public synchronized void save() {
        if (diskOff || unsaved.get() == 0) {
            return;
        }
        FileChannel ch = channel();
        if (ch == null) {
            return;
        }
        unsaved.set(0);
        List<IndexEntry> filled = new ArrayList<>();
        for (int i = 0; i < entries.length(); i++) {
            Entry e = entries.get(i);
            if (e != null && e.onDisk()) {
                filled.add(new IndexEntry(i, images.get(i).toString(), e.stamp().bytes(), e.stamp().modified(), e.crc()));
            }
        }
        try {
            ch.force(false);
            AtomicFiles.writeJson(indexFile, new IndexFile(FORMAT, preprocessing.size(), preprocessing.resize(),
                    images.size(), filled));
        } catch (ClosedChannelException e) {
            unsaved.addAndGet(filled.size()); // an interrupted worker closed the channel: save on the next call
        } catch (IOException | UncheckedIOException e) {
            turnDiskOff("cannot save " + indexFile + ": " + e.getMessage());
        }
    }

    /** Saves the index and releases the data file. */
    @Override
    public synchronized void close() {
        save();
        closed = true;
        closeChannel();
    }

    private void openDisk() throws IOException {
        Files.createDirectories(dataFile.getParent());
        long length = (long) images.size() * stride;
        IndexFile index = readIndex();
        if (index == null || !Files.isRegularFile(dataFile) || Files.size(dataFile) != length) {
            // remove the index first: a crash between the two steps leaves no index, hence nothing trusted
            Files.deleteIfExists(indexFile);
            AtomicFiles.createZeroed(dataFile, length); // sparse: blocks are allocated as slots are written
            index = null;
        }
        channel = FileChannel.open(dataFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (index != null) {
            for (IndexEntry e : index.entries()) {
                if (e.slot() >= 0 && e.slot() < images.size() && images.get(e.slot()).toString().equals(e.path())) {
                    entries.set(e.slot(), new Entry(new Stamp(e.bytes(), e.modified()), e.crc(), null, true));
                }
            }
        }
    }

    /** The index when it is readable and made for this layout, preprocessing and list length; else null. */
    private IndexFile readIndex() {
        if (!Files.isRegularFile(indexFile)) {
            return null;
        }
        try {
            IndexFile index = Json.MAPPER.readValue(indexFile.toFile(), IndexFile.class);
            boolean fits = index.format() == FORMAT && index.size() == preprocessing.size()
                    && index.resize() == preprocessing.resize() && index.count() == images.size()
                    && index.entries() != null;
            return fits ? index : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or truncated: rebuilt
        }
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() ? new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)) : null;
        } catch (IOException e) {
            return null; // missing or unreadable: decoding will say why
        }
    }

    private byte[] readSlot(int index) {
        ByteBuffer buffer = ByteBuffer.allocate(stride);
        return transfer(index, buffer, false) ? buffer.array() : null;
    }

    private boolean writeSlot(int index, byte[] pixels) {
        return transfer(index, ByteBuffer.wrap(pixels), true);
    }

    /** Reads or writes slot {@code index} through {@code buffer}; false when the disk tier could not. */
    private boolean transfer(int index, ByteBuffer buffer, boolean write) {
        FileChannel ch = channel();
        if (ch == null) {
            return false;
        }
        long position = (long) index * stride;
        try {
            while (buffer.hasRemaining()) {
                long at = position + buffer.position();
                if ((write ? ch.write(buffer, at) : ch.read(buffer, at)) < 0) {
                    return false;
                }
            }
            return true;
        } catch (ClosedChannelException e) {
            return false; // this thread was interrupted (a pass cancelled): the channel reopens on the next use
        } catch (IOException e) {
            turnDiskOff("cannot " + (write ? "write " : "read ") + dataFile + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * The open data file, reopened when an interrupted worker closed it (file channels close on interrupt), or
     * null when the disk tier is off or the cache closed.
     */
    private FileChannel channel() {
        FileChannel ch = channel;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        synchronized (this) {
            if (diskOff || closed) {
                return null;
            }
            if (channel == null || !channel.isOpen()) {
                try {
                    channel = FileChannel.open(dataFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    turnDiskOff("cannot reopen " + dataFile + ": " + e.getMessage());
                    return null;
                }
            }
            return channel;
        }
    }

    private synchronized void turnDiskOff(String why) {
        if (!diskOff) {
            diskOff = true;
            System.err.println("bonexray: image cache on disk turned off, images are decoded as without it: " + why);
        }
        closeChannel();
    }

    private void closeChannel() {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing was pending: the index lists only slots forced before it was written
            }
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** {@code resized-<size>-<mode>-<hash of the preprocessing and the ordered paths>}. */
    static String fileName(Preprocessing preprocessing, List<Path> images) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(("bonexray resized images " + FORMAT + "\n" + preprocessing.size() + "\n"
                + preprocessing.resize() + "\n").getBytes(StandardCharsets.UTF_8));
        for (Path p : images) {
            sha.update((p + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "resized-" + preprocessing.size() + "-" + preprocessing.resize().name().toLowerCase(Locale.ROOT)
                + "-" + Sha256.hex(sha).substring(0, 16);
    }
}
