package org.bonexray.model.weights.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bonexray.data.DataException;
import org.bonexray.io.Json;

/**
 * Reads a safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's type,
 * shape and byte range, then the raw data.
 *
 * <p>Hand-rolled because DJL's decoder creates NDArrays directly (it cannot hold bfloat16, and stops at 2 GB) and
 * no maintained Java safetensors reader is on Maven Central. Defensive: the header length is checked against the
 * file's length and a 100 MB cap (the format's own) before it is read, every range against the data actually
 * present and against its type and shape, and the tensors are memory-mapped, never copied whole into the heap.
 */
public final class SafetensorsFile {
    /** The safetensors format's own limit on the header. */
    static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafetensorsFile() {
    }

    /** Whether the first bytes look like safetensors: a plausible length, then the header's opening brace. */
    public static boolean sniff(byte[] head, long fileSize) {
        if (head.length < 9) {
            return false;
        }
        long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 1 && n <= Math.min(MAX_HEADER, fileSize - 8) && head[8] == '{';
    }

    /**
     * Reads every tensor of {@code file}.
     *
     * @throws DataException when the file is not valid safetensors (the message says what is wrong)
     */
    public static StateDict read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            JsonNode header = header(file, channel, size);
            long dataStart = 8 + headerLength(channel);
            List<RawTensor> tensors = new ArrayList<>();
            for (Entry e : entries(file, header, size - dataStart)) {
                ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, e.end - e.begin);
                try {
                    tensors.add(new RawTensor(e.key, e.dtype, e.shape, data));
                } catch (IllegalArgumentException bad) {
                    throw new DataException(file, "not a valid safetensors file: " + bad.getMessage());
                }
            }
            return new StateDict(tensors, WeightsFormat.SAFETENSORS, List.of(), Optional.empty());
        } catch (IOException e) {
            throw new DataException(file, "cannot read weights: " + e.getMessage(), e);
        }
    }

    private static long headerLength(FileChannel channel) throws IOException {
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(lengthBytes, 0);
        return lengthBytes.flip().remaining() == 8 ? lengthBytes.getLong() : -1;
    }

    private static JsonNode header(Path file, FileChannel channel, long size) throws IOException {
        long n = size < 8 ? -1 : headerLength(channel);
        if (n < 2 || n > MAX_HEADER || n > size - 8) {
            throw new DataException(file, "not a safetensors file: header length " + n + " does not fit the file's "
                    + size + " bytes");
        }
        ByteBuffer text = ByteBuffer.allocate((int) n);
        while (text.hasRemaining() && channel.read(text, 8 + text.position()) > 0) {
            // read until the header is complete
        }
        try {
            JsonNode header = Json.MAPPER.readTree(new String(text.array(), StandardCharsets.UTF_8));
            if (header == null || !header.isObject()) {
                throw new DataException(file, "not a safetensors file: the header is not a JSON object");
            }
            return header;
        } catch (JsonProcessingException e) {
            throw new DataException(file, "not a safetensors file: unreadable header (" + e.getOriginalMessage() + ")");
        }
    }

    private record Entry(String key, DType dtype, long[] shape, long begin, long end) {
    }

    private static List<Entry> entries(Path file, JsonNode header, long dataLength) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            if (!field.getKey().equals("__metadata__")) {
                entries.add(entry(file, field.getKey(), field.getValue(), dataLength));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        return entries;
    }

    private static Entry entry(Path file, String key, JsonNode node, long dataLength) {
        try {
            DType dtype = DType.fromSafetensors(node.path("dtype").asText(""));
            JsonNode dims = node.path("shape");
            JsonNode offsets = node.path("data_offsets");
            if (!dims.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new IllegalArgumentException("needs a shape and two data offsets");
            }
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).asLong(-1);
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataLength) {
                throw new IllegalArgumentException("bytes " + begin + "-" + end + " lie outside the " + dataLength
                        + " bytes of data");
            }
            if (Math.multiplyExact(RawTensor.numel(shape), dtype.bytes()) != end - begin) {
                throw new IllegalArgumentException("its shape and type need other than its " + (end - begin) + " bytes");
            }
            return new Entry(key, dtype, shape, begin, end);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new DataException(file, "not a valid safetensors file: tensor '" + key + "': " + e.getMessage());
        }
    }
}
