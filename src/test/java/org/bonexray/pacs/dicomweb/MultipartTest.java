package org.bonexray.pacs.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void writtenBodiesParseBackToTheSameContents() {
        byte[] a = new byte[3000];
        new Random(1).nextBytes(a);
        byte[] b = bytes("\r\n--not-the-boundary\r\n\r\n");
        Multipart.Body body = Multipart.write("application/dicom", List.of(a, b, new byte[0]));
        assertTrue(body.contentType().startsWith("multipart/related; type=\"application/dicom\"; boundary="));
        List<Multipart.Part> parts = Multipart.parse(body.contentType(), body.bytes(), 10);
        assertEquals(3, parts.size());
        assertArrayEquals(a, parts.get(0).content());
        assertArrayEquals(b, parts.get(1).content());
        assertEquals(0, parts.get(2).content().length);
        assertEquals("application/dicom", parts.get(0).contentType());
    }

    @Test
    void quotedBoundariesPreambleAndPaddingAreUnderstood() {
        String type = "multipart/related; type=\"application/dicom\"; boundary=\"a;b=c\"";
        byte[] body = bytes("preamble text\r\n--a;b=c  \r\nContent-Type: application/dicom\r\nContent-Length: 999999\r\n\r\n"
                + "DICM\r\n--a;b=c--\r\nepilogue");
        List<Multipart.Part> parts = Multipart.parse(type, body, 10);
        assertEquals(1, parts.size());
        assertArrayEquals(bytes("DICM"), parts.get(0).content(), "the part's Content-Length is not trusted");
        assertEquals("a;b=c", Multipart.parameter(type, "boundary"));
    }

    @Test
    void brokenBodiesAreRefusedAsMalformed() {
        String type = "multipart/related; boundary=xyz";
        List<byte[]> broken = List.of(
                bytes("--xyz\r\nContent-Type: application/dicom\r\n\r\nDICM..."),    // cut short
                bytes("no delimiter at all"),
                bytes("--xyz\r\nContent-Type: application/dicom" + "x".repeat(Multipart.MAX_HEADER_BYTES + 10)));
        for (byte[] body : broken) {
            PacsException e = assertThrows(PacsException.class, () -> Multipart.parse(type, body, 10));
            assertEquals(PacsException.Kind.MALFORMED, e.kind());
        }
        assertEquals(PacsException.Kind.MALFORMED, assertThrows(PacsException.class,
                () -> Multipart.parse("application/dicom", bytes("DICM"), 10)).kind());
        assertEquals(PacsException.Kind.MALFORMED, assertThrows(PacsException.class,
                () -> Multipart.parse("multipart/related; type=x", bytes("--\r\n"), 10)).kind());
        assertEquals(PacsException.Kind.MALFORMED, assertThrows(PacsException.class,
                () -> Multipart.parse("multipart/related; boundary=" + "b".repeat(71), bytes("--\r\n"), 10)).kind());
    }

    @Test
    void partsBeyondTheLimitAreRefused() {
        Multipart.Body body = Multipart.write("application/dicom", List.of(new byte[1], new byte[1], new byte[1]));
        assertEquals(3, Multipart.parse(body.contentType(), body.bytes(), 3).size());
        assertThrows(PacsException.class, () -> Multipart.parse(body.contentType(), body.bytes(), 2));
    }
}
