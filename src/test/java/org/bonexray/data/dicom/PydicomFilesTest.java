package org.bonexray.data.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.BadImageException.Reason;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.io.Json;
import org.bonexray.io.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * pydicom's own small public test files (copied from Debian's python3-pydicom, MIT): the stored values this reader
 * decodes equal pydicom's {@code pixel_array} (by checksum), and what it refuses it refuses for the right reason.
 */
class PydicomFilesTest {
    private static final String DIR = "pydicom/";

    @Test
    void storedValuesEqualPydicomsPixelArray() throws Exception {
        JsonNode expected = Json.MAPPER.readTree(Fixtures.bytes(DIR + "pydicom.json"));
        int compared = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode want = e.getValue();
            if (!want.has("sha256") || e.getKey().contains("bigendian")) {
                continue;
            }
            int[] values = DicomFile.storedSamples(Fixtures.bytes(DIR + e.getKey()), Path.of(e.getKey()));
            assertEquals(want.get("rows").asInt() * want.get("columns").asInt() * want.get("samples").asInt(),
                    values.length, e.getKey());
            assertEquals(want.get("sha256").asText(), sha256(values), e.getKey());
            compared++;
        }
        assertEquals(9, compared);
    }

    /** Irreversible JPEG and JPEG 2000: decoders may round a few samples apart, so the sums are compared. */
    @ParameterizedTest
    @CsvSource({"SC_rgb_jpeg_dcmtk.dcm", "JPEG2000.dcm"})
    void lossyFilesAreCloseToPydicomsDecoding(String name) throws Exception {
        JsonNode want = Json.MAPPER.readTree(Fixtures.bytes(DIR + "pydicom.json")).get(name);
        int[] values = DicomFile.storedSamples(Fixtures.bytes(DIR + name), Path.of(name));
        long sum = 0;
        int min = Integer.MAX_VALUE;
        for (int v : values) {
            sum += v;
            min = Math.min(min, v);
        }
        double relative = Math.abs(sum - want.get("sum").asLong()) / (double) want.get("sum").asLong();
        assertTrue(relative < 0.005, name + ": sum " + sum + " against pydicom's " + want.get("sum"));
        assertEquals(want.get("min").asInt(), min, name);
    }

    @ParameterizedTest
    @CsvSource({
        "MR_truncated.dcm, TRUNCATED, the file ends",
        "JPGExtended.dcm, UNSUPPORTED_FORMAT, 12-bit",
        "MR_small_jpeg_ls_lossless.dcm, UNSUPPORTED_FORMAT, JPEG-LS",
        "MR_small_bigendian.dcm, UNSUPPORTED_FORMAT, Big Endian",
        "SC_rgb_rle_2frame.dcm, UNSUPPORTED_FORMAT, multi-frame",
        "UN_sequence.dcm, TRUNCATED, ends before its Pixel Data",
        "priv_SQ.dcm, TRUNCATED, ends before its Pixel Data",
        "ExplVR_LitEndNoMeta.dcm, UNSUPPORTED_FORMAT, without the Part 10 header"})
    void refusedWithTheirReason(String name, Reason reason, String words) {
        BadImageException e = assertThrows(BadImageException.class, () -> Fixtures.decode(DIR + name));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith(DIR + name + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    @Test
    void privateAndUnknownSequencesAreSkipped() {
        for (String name : new String[] {"UN_sequence.dcm", "priv_SQ.dcm", "nested_priv_SQ.dcm"}) {
            DicomHeader h = DicomFile.readHeader(Fixtures.bytes(DIR + name), Path.of(name),
                    ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_MAX_SIDE);
            assertTrue(h.toString().startsWith("DicomHeader["), name);
        }
    }

    @Test
    void mrSmallRendersWithItsOwnWindow() {
        // MR_small carries Window Center 600 / Width 1600; its values (127..2145) are clipped above 1400
        var image = Fixtures.decode(DIR + "MR_small.dcm");
        float max = 0;
        for (float v : image.pixels()) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
        assertEquals(image, Fixtures.decode(DIR + "MR_small_jp2klossless.dcm"));
        assertEquals(image, Fixtures.decode(DIR + "MR_small_RLE.dcm"));
        assertEquals(image, Fixtures.decode(DIR + "MR_small_implicit.dcm"));
    }

    static String sha256(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return Sha256.of(b.array());
    }
}
