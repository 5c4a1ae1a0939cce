package org.bonexray.model.weights.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bonexray.data.DataException;
import org.bonexray.model.weights.WeightsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bonexray's own safetensors reading: half precisions widened exactly, every claim checked against the file. */
@Timeout(120)
class SafetensorsFileTest {
    @TempDir
    Path dir;

    private Path file(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return Files.write(dir.resolve("t.safetensors"), b.array());
    }

    @Test
    void bfloat16AndFloat16BecomeTheSameFloats() throws IOException {
        // 1.5, -2, 0.0078125 as bf16 (upper halves of the floats) and as fp16, then a float16 subnormal
        byte[] data = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3fc0).putShort((short) 0xc000).putShort((short) 0x3c00)
                .putShort((short) 0x3e00).putShort((short) 0xc000).putShort((short) 0x2000)
                .putShort((short) 0x0001).array();
        Path f = file("{\"a\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[6,14]},\"__metadata__\":{\"format\":\"pt\"}}", data);
        StateDict read = WeightsFiles.read(f);
        assertEquals(WeightsFormat.SAFETENSORS, read.format());
        assertArrayEquals(new float[] {1.5f, -2f, 0.0078125f}, read.tensors().get("a").toFloats());
        assertArrayEquals(new float[] {1.5f, -2f, 0.0078125f, 0x1p-24f}, read.tensors().get("b").toFloats());
    }

    @Test
    void aHeaderLongerThanTheFileIsRefusedBeforeReading() throws IOException {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).put((byte) '{').array();
        Path f = Files.write(dir.resolve("liar.safetensors"), bytes);
        DataException e = assertThrows(DataException.class, () -> SafetensorsFile.read(f));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void rangesOutsideTheDataOrDisagreeingWithTheShapeAreRefused() throws IOException {
        Path outside = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        assertTrue(assertThrows(DataException.class, () -> SafetensorsFile.read(outside)).getMessage().contains("outside"));
        Path shape = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertTrue(assertThrows(DataException.class, () -> SafetensorsFile.read(shape)).getMessage().contains("'a'"));
    }
}
