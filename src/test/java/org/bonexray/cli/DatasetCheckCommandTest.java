package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.Split;
import org.bonexray.data.dicom.Fixtures;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset check} on a sample tree with bad files of many kinds: every one is listed, exit 3. */
class DatasetCheckCommandTest {
    @TempDir
    static Path tmp;
    static Path root;
    static List<Path> pngs;

    @BeforeAll
    static void sample() throws Exception {
        SyntheticMuraGenerator.generate(tmp, new SampleSpec(9, 2, 1, 64, 80, 0.5), null);
        root = SyntheticMuraGenerator.datasetDir(tmp);
        try (Stream<Path> s = Files.walk(root)) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void aCleanTreePassesAndStatsPointsToCheck() {
        CommandRunner r = CommandRunner.run("dataset", "check", "--data", root.toString(), "--threads", "2");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("Checked " + pngs.size() + " radiographs"), r.out);
        assertTrue(r.out.contains("0 bad"), r.out);
        CommandRunner stats = CommandRunner.run("dataset", "stats", "--data", root.toString());
        assertTrue(stats.out.contains("dataset check"), stats.out);
    }

    @Test
    void everyBadFileIsListedWithItsReason() throws Exception {
        Path tree = tmp.resolve("bad");
        copyTree(root, tree);
        Path study = tree.resolve(root.relativize(pngs.get(0).getParent()));
        byte[] png = Files.readAllBytes(pngs.get(0));
        Files.write(study.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        Files.writeString(study.resolve("notes.png"), "not an image");
        Files.write(study.resolve("empty.jpg"), new byte[0]);
        Files.write(study.resolve("cut.dcm"), Arrays.copyOf(Fixtures.bytes("rle_12bit.dcm"), 3000));
        Files.write(study.resolve("jpegls.dcm"), Fixtures.bytes("pydicom/MR_small_jpeg_ls_lossless.dcm"));
        Files.write(study.resolve("frames.dcm"), Fixtures.bytes("pydicom/SC_rgb_rle_2frame.dcm"));
        Files.write(study.resolve("report.dcm"), Fixtures.dicomWithoutImage());
        // good ones of the new kinds: a CMYK JPEG, a .dcm, an extension-less DICOM; a hidden junk file is ignored
        Files.write(study.resolve("cmyk.jpg"), Fixtures.bytes("cmyk.jpg"));
        Files.write(study.resolve("view.dcm"), Fixtures.bytes("j2k_lossless_12bit_3fragments.dcm"));
        Files.write(study.resolve("1.2.840.99.3"), Fixtures.bytes("m2_8bit_deflate.dcm"));
        Files.writeString(study.resolve("2.25.7"), "named like a UID, but not DICOM: not a view");
        Files.write(study.resolve("IMG0001"), Fixtures.bytes("m1_8bit_inverted.dcm"));
        Files.writeString(study.resolve("._image1.png"), "resource fork");
        Files.writeString(study.resolve("README"), "not DICOM, not named as an image: not a radiograph");
        Path json = tmp.resolve("report/check.json");
        CommandRunner r = CommandRunner.run("dataset", "check", "--data", tree.toString(), "--threads", "2",
                "--json", json.toString());
        assertEquals(ExitCodes.BAD_DATA, r.exitCode, r.toString());
        JsonNode report = Json.MAPPER.readTree(json.toFile());
        assertEquals(7, report.get("bad").asInt(), r.out);
        assertEquals(pngs.size() + 7 + 4, report.get("checked").asInt(), r.out);
        assertEquals(3, report.get("formats").get("dicom").asInt(), r.out);
        assertEquals(1, report.get("formats").get("jpeg").asInt(), r.out);
        String prefix = root.relativize(pngs.get(0).getParent()).toString() + "/";
        assertListed(report, "TRUNCATED", prefix + "cut.png", prefix + "cut.dcm");
        assertListed(report, "NOT_AN_IMAGE", prefix + "notes.png");
        assertListed(report, "EMPTY", prefix + "empty.jpg");
        assertListed(report, "UNSUPPORTED_FORMAT", prefix + "jpegls.dcm", prefix + "frames.dcm", prefix + "report.dcm");
        for (String name : List.of("cut.png", "notes.png", "empty.jpg", "cut.dcm", "jpegls.dcm", "frames.dcm", "report.dcm")) {
            assertTrue(r.out.contains(prefix + name), name + "\n" + r.out);
        }
        assertTrue(r.out.contains("JPEG-LS"), r.out);
        assertFalse(r.out.contains("._image1") || r.out.contains("README") || r.out.contains("2.25.7"), r.out);
        CommandRunner toStdout = CommandRunner.run("dataset", "check", "--data", tree.toString(), "--json");
        assertEquals(7, Json.MAPPER.readTree(toStdout.out).get("bad").asInt());
    }

    @Test
    void dicomViewsCountInTheIndexAndDecodeLikeTheirPngs() throws Exception {
        Path tree = tmp.resolve("dicom-tree");
        copyTree(root, tree);
        try (Stream<Path> s = Files.walk(tree)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".csv")).toList();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                if (f.toString().endsWith(".csv")) {
                    Files.delete(f); // the folder scan, since the CSVs name .png files
                    continue;
                }
                String stem = f.getFileName().toString().replace(".png", "");
                Path target = f.resolveSibling(i % 2 == 0 ? stem + ".dcm" : stem.replace("image", "IM"));
                Files.write(target, Fixtures.asDicom(ImageDecoder.decode(f), null));
                Files.delete(f);
            }
        }
        MuraIndex dicom = MuraIndexLoader.load(tree, new LoadOptions(false, false, java.util.Set.of()));
        MuraIndex png = MuraIndexLoader.load(root, new LoadOptions(false, false, java.util.Set.of()));
        assertEquals(png.studies(Split.VALID).size(), dicom.studies(Split.VALID).size());
        assertEquals(pngs.size(), dicom.studies().stream().mapToInt(st -> st.images().size()).sum());
        CommandRunner r = CommandRunner.run("dataset", "check", "--data", tree.toString());
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("(DICOM " + pngs.size() + ")"), r.out);
    }

    private static void assertListed(JsonNode report, String reason, String... paths) {
        JsonNode files = report.get("problems").get(reason).get("files");
        assertEquals(paths.length, files.size(), files.toString());
        for (String p : paths) {
            boolean found = false;
            for (JsonNode f : files) {
                found |= f.get("path").asText().equals(p) && !f.get("detail").asText().isBlank();
            }
            assertTrue(found, p + " in " + files);
        }
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
