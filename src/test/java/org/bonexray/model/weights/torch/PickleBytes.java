package org.bonexray.model.weights.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes hand-made pickles (protocol 2 opcodes) and wraps them in torch's zip layout, for hostile test files. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBytes() {
        out.write(0x80);
        out.write(2);
    }

    PickleBytes op(char opcode) {
        out.write(opcode);
        return this;
    }

    PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleBytes global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    PickleBytes string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').int4(b.length).raw(b);
    }

    PickleBytes integer(int value) {
        return op('J').int4(value);
    }

    PickleBytes int4(int value) {
        return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    PickleBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** A ('storage', torch.FloatStorage, key, 'cpu', elements) persistent id, loaded. */
    PickleBytes storage(String key, int elements) {
        return op('(').string("storage").global("torch", "FloatStorage").string(key).string("cpu").integer(elements)
                .op('t').op('Q');
    }

    /** torch._utils._rebuild_tensor_v2(storage, 0, (n,), (1,), False, OrderedDict()). */
    PickleBytes tensor(String key, int storageElements, int size) {
        return global("torch._utils", "_rebuild_tensor_v2").op('(').storage(key, storageElements).integer(0)
                .integer(size).op(0x85).integer(1).op(0x85).op(0x89).global("collections", "OrderedDict").op(')')
                .op('R').op('t').op('R');
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    byte[] stop() {
        return op('.').bytes();
    }

    /** A zip-format checkpoint of a data.pkl and stored storages. */
    static Path zip(Path file, byte[] dataPkl, Map<String, byte[]> storages) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, "archive/data.pkl", dataPkl);
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                put(zip, "archive/data/" + s.getKey(), s.getValue());
            }
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }
}
