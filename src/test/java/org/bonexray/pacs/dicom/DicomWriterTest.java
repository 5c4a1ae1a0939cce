package org.bonexray.pacs.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bonexray.data.image.GrayImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomWriterTest {
    @Test
    void elementsAreExplicitVrLittleEndianInTagOrderAndPaddedEven() {
        byte[] bytes = new DicomDataset().put(Tags.PATIENT_ID, Vr.LO, "ABC")
                .put(Tags.SOP_INSTANCE_UID, Vr.UI, "1.2.3").putUs(Tags.ROWS, 513).encode();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        // (0008,0018) UI, 6 bytes: "1.2.3" + NUL
        assertEquals(0x0008, b.getShort());
        assertEquals(0x0018, b.getShort());
        assertEquals("UI", ascii(b, 2));
        assertEquals(6, b.getShort());
        assertEquals("1.2.3\0", ascii(b, 6));
        // (0010,0020) LO, 4 bytes: "ABC" + space
        assertEquals(0x0010, b.getShort());
        assertEquals(0x0020, b.getShort());
        assertEquals("LO", ascii(b, 2));
        assertEquals(4, b.getShort());
        assertEquals("ABC ", ascii(b, 4));
        // (0028,0010) US 513
        b.getInt();
        assertEquals("US", ascii(b, 2));
        assertEquals(2, b.getShort());
        assertEquals(513, b.getShort());
        assertEquals(bytes.length, b.position());
    }

    @Test
    void sequencesHaveDefinedLengthsAndLongVrsAFourByteLength() {
        DicomDataset item = new DicomDataset().put(Tags.CODE_VALUE, Vr.SH, "X1");
        byte[] bytes = new DicomDataset().putSequence(Tags.CONCEPT_NAME_CODE, List.of(item)).encode();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.getInt();
        assertEquals("SQ", ascii(b, 2));
        assertEquals(0, b.getShort()); // reserved
        int sequenceLength = b.getInt();
        assertEquals(bytes.length - 12, sequenceLength);
        assertEquals((short) 0xFFFE, b.getShort());
        assertEquals((short) 0xE000, b.getShort());
        assertEquals(sequenceLength - 8, b.getInt());
    }

    @Test
    void badValuesAreRefusedWhenPut() {
        DicomDataset d = new DicomDataset();
        assertThrows(IllegalArgumentException.class, () -> d.put(Tags.SOP_INSTANCE_UID, Vr.UI, "1.02.3"));
        assertThrows(IllegalArgumentException.class, () -> d.put(Tags.SOP_INSTANCE_UID, Vr.UI, "1." + "2".repeat(70)));
        assertThrows(IllegalArgumentException.class, () -> d.put(Tags.MODALITY, Vr.CS, "X".repeat(17)));
        assertThrows(IllegalArgumentException.class, () -> d.put(Tags.PATIENT_ID, Vr.LO, "a\\b"));
        assertThrows(IllegalArgumentException.class, () -> d.putUs(Tags.ROWS, 70000));
        assertThrows(IllegalArgumentException.class, () -> d.put(Tags.TEXT_VALUE, Vr.ST, "x".repeat(1025)));
    }

    @Test
    void newUidsAreUnderTheUuidRootAndValid() {
        String a = DicomUids.random();
        assertTrue(a.startsWith("2.25."), a);
        assertTrue(DicomUids.isValid(a), a);
        assertTrue(!a.equals(DicomUids.random()));
        assertTrue(DicomUids.isValid(DicomUids.IMPLEMENTATION_CLASS));
        assertEquals("0.7312345679", StructuredReport.decimal(0.73123456789));
        assertEquals("0.5", StructuredReport.decimal(0.5));
    }

    @Test
    void part10FilesHaveThePreambleAndACorrectMetaGroupLength() {
        DicomDataset sc = SecondaryCapture.of(study(), 1, image());
        byte[] file = Part10.write(sc);
        assertEquals("DICM", new String(file, 128, 4, StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap(file, 132, file.length - 132).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0002, b.getShort());
        assertEquals(0x0000, b.getShort());
        assertEquals("UL", ascii(b, 2));
        assertEquals(4, b.getShort());
        int groupLength = b.getInt();
        int datasetStart = 132 + 12 + groupLength;
        assertEquals(0x0008, file[datasetStart] | file[datasetStart + 1] << 8, "the data set follows the meta group");
        byte[] body = sc.encode();
        assertArrayEquals(body, java.util.Arrays.copyOfRange(file, datasetStart, file.length));
    }

    /** dcmtk's dsrdump (when installed) reads the report and shows the content tree bonexray meant. */
    @Test
    void dcmtkReadsTheStructuredReport(@TempDir Path dir) throws Exception {
        Path dsrdump = Path.of("/usr/bin/dsrdump");
        assumeTrue(Files.isExecutable(dsrdump), "dcmtk's dsrdump is not installed (apt-get install dcmtk)");
        DicomDataset sc = SecondaryCapture.of(study(), 1, image());
        String sop = sc.string(Tags.SOP_INSTANCE_UID);
        ReportContent content = new ReportContent(study().studyUid(), true, 0.8125, 0.5, "WRIST", "0123456789abcdef",
                List.of(new ReportContent.View(DicomUids.SECONDARY_CAPTURE, sop, study().seriesUid(), 0.8125, null),
                        new ReportContent.View(DicomUids.SECONDARY_CAPTURE, DicomUids.random(), study().seriesUid(), null, "not decodable")));
        DicomDataset source = new DicomDataset().put(Tags.PATIENT_NAME, Vr.PN, "Müller^Zoë").put(Tags.PATIENT_ID, Vr.LO, "P7");
        Path file = dir.resolve("sr.dcm");
        Files.write(file, Part10.write(StructuredReport.build(content, source, ZonedDateTime.now())));
        String dump = run(dsrdump.toString(), "-Ee", "+U8", file.toString());
        assertTrue(dump.contains("Comprehensive SR Document"), dump);
        assertTrue(dump.contains("Müller^Zoë (#P7)"), dump);
        assertTrue(dump.contains("<contains CODE:(,,\"Finding\")=(263654008,SCT,\"Abnormal\")>"), dump);
        assertTrue(dump.contains("<contains NUM:(,,\"Study probability of abnormality\")=\"0.8125\""), dump);
        assertTrue(dump.contains("<inferred from IMAGE:"), dump);
        assertTrue(!dump.contains("Error") && !dump.contains("E: "), dump);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static SecondaryCapture.Study study() {
        return new SecondaryCapture.Study("2.25.1", "2.25.2", "P7", "Müller^Zoë", "ACC1", "WRIST", "XR WRIST");
    }

    private static GrayImage image() {
        float[] px = new float[5 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / 255f;
        }
        return new GrayImage(5, 3, px);
    }

    private static String ascii(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
