package org.bonexray.model.weights.torch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bonexray.model.weights.format.WeightsFormat;

/**
 * Opens torch's legacy format (before 1.6, and torchvision's hosted DenseNet files): five pickles one after the
 * other (the magic number, the protocol version 1001, system information, the object with storage persistent
 * ids, the sorted list of storage keys), then each storage in that order as an 8-byte element count and its raw
 * bytes. The stream is read once, front to back; storages nobody asked for are skipped.
 */
final class LegacyCheckpoint {
    /** torch.serialization's MAGIC_NUMBER. */
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    static final long PROTOCOL = 1001;

    private LegacyCheckpoint() {
    }

    /** Whether a file starts as a legacy checkpoint: pickle protocol 2 opening with the magic number's LONG1. */
    static boolean sniff(byte[] head) {
        return head.length >= 4 && (head[0] & 0xff) == 0x80 && head[1] == 2 && (head[2] & 0xff) == 0x8a && head[3] == 10;
    }

    static Checkpoint open(Path file) throws IOException {
        PickleInput in = new PickleInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16), Files.size(file));
        try {
            StorageTable table = new StorageTable();
            Object magic = header(in).read();
            if (!MAGIC.equals(magic instanceof Number n ? new BigInteger(n.toString()) : null)) {
                throw new BadCheckpointException("not a torch checkpoint: wrong magic number");
            }
            Object protocol = header(in).read();
            if (!(protocol instanceof Number p) || p.longValue() != PROTOCOL) {
                throw new BadCheckpointException("unknown legacy protocol " + protocol);
            }
            if (header(in).read() instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new BadCheckpointException("the checkpoint was written big-endian; only little-endian is read");
            }
            SafeUnpickler objects = new SafeUnpickler(in, table::register);
            Object root = objects.read();
            Object keys = header(in).read();
            if (!(keys instanceof List<?> list)) {
                throw new BadCheckpointException("the storage key list is a " + Arguments.describe(keys));
            }
            return new Checkpoint(root, objects.moduleClasses(), WeightsFormat.TORCH_LEGACY,
                    wanted -> read(in, table, list, wanted), in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** An unpickler for the header pickles, which hold no storages. */
    private static SafeUnpickler header(PickleInput in) {
        return new SafeUnpickler(in, id -> {
            throw new BadCheckpointException("a storage in a legacy checkpoint's header");
        });
    }

    private static Map<String, ByteBuffer> read(PickleInput in, StorageTable table, List<?> keys, Set<String> wanted)
            throws IOException {
        Map<String, ByteBuffer> out = new HashMap<>();
        for (Object k : keys) {
            String key = Arguments.string(k, "a storage key");
            StorageRef ref = table.get(key);
            if (ref == null) {
                throw new BadCheckpointException("storage " + key + " is listed but no tensor declares its type");
            }
            long elements = ByteBuffer.wrap(in.readExactly(8, "storage " + key + "'s length"))
                    .order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (elements != ref.rootElements()) {
                throw new BadCheckpointException("storage " + key + " holds " + elements + " elements, the pickle"
                        + " claims " + ref.rootElements());
            }
            if (wanted.contains(key)) {
                out.put(key, ByteBuffer.wrap(in.readExactly(ref.rootBytes(), "storage " + key)));
            } else {
                in.skipExactly(ref.rootBytes(), "storage " + key);
            }
            if (out.size() == wanted.size()) {
                break;
            }
        }
        if (out.size() != wanted.size()) {
            throw new BadCheckpointException("storages " + wanted.stream().filter(w -> !out.containsKey(w)).toList()
                    + " are missing from the file");
        }
        return out;
    }
}
