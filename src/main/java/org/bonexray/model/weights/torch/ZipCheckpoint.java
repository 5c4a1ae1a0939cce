package org.bonexray.model.weights.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bonexray.model.weights.format.WeightsFormat;

/**
 * Opens torch's zip format (torch >= 1.6): {@code NAME/data.pkl}, the pickle, and {@code NAME/data/KEY}, each
 * storage's raw little-endian bytes, stored uncompressed.
 */
final class ZipCheckpoint {
    /** Largest pickle accepted; a DenseNet-201 state dict's is about 80 KB. */
    static final long MAX_PICKLE = 256L * 1024 * 1024;

    private ZipCheckpoint() {
    }

    /** Whether the zip holds a torch checkpoint (one {@code data.pkl} at the top of one folder). */
    static boolean isCheckpoint(ZipFile zip) {
        return pickleEntries(zip).size() == 1;
    }

    static Checkpoint open(Path file) throws IOException {
        ZipFile zip = new ZipFile(file.toFile());
        try {
            List<? extends ZipEntry> pickles = pickleEntries(zip);
            if (pickles.size() != 1) {
                throw new BadCheckpointException("a zip file without exactly one data.pkl is not a torch checkpoint");
            }
            ZipEntry pickle = pickles.get(0);
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            checkByteOrder(zip, prefix);
            long fileSize = Files.size(file);
            if (pickle.getSize() < 0 || pickle.getSize() > Math.min(MAX_PICKLE, fileSize)) {
                throw new BadCheckpointException("data.pkl claims " + pickle.getSize() + " bytes");
            }
            StorageTable table = new StorageTable();
            Object root;
            SafeUnpickler unpickler;
            try (InputStream raw = zip.getInputStream(pickle)) {
                unpickler = new SafeUnpickler(new PickleInput(raw, pickle.getSize()), table::register);
                root = unpickler.read();
            }
            return new Checkpoint(root, unpickler.moduleClasses(), WeightsFormat.TORCH_ZIP,
                    keys -> read(zip, prefix, table, keys, fileSize), zip);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static List<? extends ZipEntry> pickleEntries(ZipFile zip) {
        return Collections.list(zip.entries()).stream()
                .filter(e -> e.getName().endsWith("/data.pkl") && e.getName().indexOf('/') == e.getName().length() - 9)
                .toList();
    }

    private static void checkByteOrder(ZipFile zip, String prefix) throws IOException {
        ZipEntry order = zip.getEntry(prefix + "byteorder");
        if (order != null && order.getSize() <= 16) {
            try (InputStream in = zip.getInputStream(order)) {
                String value = new String(in.readNBytes(16), StandardCharsets.US_ASCII).strip();
                if (!value.equals("little")) {
                    throw new BadCheckpointException("the storages are " + value + "-endian; only little-endian"
                            + " checkpoints are read");
                }
            }
        }
    }

    private static Map<String, ByteBuffer> read(ZipFile zip, String prefix, StorageTable table, Set<String> keys,
                                                long fileSize) throws IOException {
        Map<String, ByteBuffer> out = new HashMap<>();
        for (String key : keys) {
            StorageRef ref = table.get(key);
            ZipEntry entry = zip.getEntry(prefix + "data/" + key);
            if (ref == null || entry == null) {
                throw new BadCheckpointException("storage " + key + " is missing from the archive");
            }
            if (entry.getMethod() != ZipEntry.STORED || entry.getSize() > fileSize) {
                // torch stores storages uncompressed; a compressed or oversized entry is not its writing
                throw new BadCheckpointException("storage " + key + " is compressed or larger than the file");
            }
            if (entry.getSize() < ref.rootBytes()) {
                throw new BadCheckpointException("storage " + key + " has " + entry.getSize() + " bytes, the pickle"
                        + " claims " + ref.rootBytes());
            }
            try (InputStream in = zip.getInputStream(entry)) {
                out.put(key, ByteBuffer.wrap(new PickleInput(in, entry.getSize()).readExactly(ref.rootBytes(),
                        "storage " + key)));
            }
        }
        return out;
    }
}
