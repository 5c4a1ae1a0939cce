package org.bonexray.data.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;
import org.bonexray.data.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticMuraGeneratorTest {
    private static final SampleSpec SPEC = new SampleSpec(7, 3, 2, 64, 120, 0.5);
    private static final Pattern IMAGE_PATH = Pattern.compile(
            "MURA-v1\\.1/(train|valid)/XR_[A-Z]+/patient\\d{5}/study\\d+_(positive|negative)/image\\d+\\.png");
    private static final Pattern STUDY_ROW = Pattern.compile(
            "MURA-v1\\.1/(train|valid)/XR_[A-Z]+/patient\\d{5}/study\\d+_(positive|negative)/,[01]");

    @TempDir
    static Path dir;
    static SampleManifest manifest;
    static SampleReader sample;

    @BeforeAll
    static void generate() {
        manifest = SyntheticMuraGenerator.generate(dir, SPEC, null);
        sample = new SampleReader(dir);
    }

    @Test
    void csvCountsAndFilesOnDiskEqualTheManifest() throws IOException {
        for (Split split : Split.values()) {
            List<String> images = sample.lines(split.folderName() + "_image_paths.csv");
            List<String> studies = sample.lines(split.folderName() + "_labeled_studies.csv");
            SampleManifest.Counts c = manifest.countsOf(split);
            assertEquals(c.images(), images.size());
            assertEquals(c.studies(), studies.size());
            assertEquals(c.abnormalStudies(), studies.stream().filter(s -> s.endsWith(",1")).count());
            assertEquals(c.abnormalImages(), images.stream().filter(s -> s.contains("_positive/")).count());
            for (BodyPart part : BodyPart.values()) {
                SampleManifest.Counts pc = manifest.countsOf(split, part);
                int expected = split == Split.TRAIN ? SPEC.trainStudiesPerPart() : SPEC.validStudiesPerPart();
                assertEquals(expected, pc.studies());
                String prefix = "MURA-v1.1/" + split.folderName() + "/" + part.folderName() + "/";
                assertEquals(pc.images(), images.stream().filter(s -> s.startsWith(prefix)).count());
                try (Stream<Path> files = Files.walk(sample.root.resolve(split.folderName()).resolve(part.folderName()))) {
                    assertEquals(pc.images(), files.filter(p -> p.toString().endsWith(".png")).count());
                }
            }
        }
        SampleManifest.Counts total = manifest.total();
        assertEquals(manifest.countsOf(Split.TRAIN).plus(manifest.countsOf(Split.VALID)), total);
        assertEquals(7 * 5, total.studies());
        assertEquals(manifest.findings(), sample.lines("findings.csv").size() - 1);
        assertEquals(manifest, SampleManifest.read(sample.root.resolve(SampleManifest.FILE_NAME)));
        assertEquals(SyntheticMuraGenerator.imageCount(SPEC), total.images());
    }

    @Test
    void csvsHaveMurasExactFormat() {
        for (Split split : Split.values()) {
            for (String line : sample.lines(split.folderName() + "_image_paths.csv")) {
                assertTrue(IMAGE_PATH.matcher(line).matches(), line);
                assertTrue(line.startsWith("MURA-v1.1/" + split.folderName() + "/"), line);
                assertTrue(Files.isRegularFile(dir.resolve(line)), line);
            }
            for (String line : sample.lines(split.folderName() + "_labeled_studies.csv")) {
                assertTrue(STUDY_ROW.matcher(line).matches(), line);
                String folder = line.substring(0, line.length() - 3);
                folder = folder.substring(folder.lastIndexOf('/') + 1);
                Label label = Label.fromStudyFolder(folder).orElseThrow();
                assertEquals(label.value(), Integer.parseInt(line.substring(line.length() - 1)), line);
                assertTrue(Files.isDirectory(dir.resolve(line.substring(0, line.length() - 2))), line);
            }
        }
        assertEquals("image_path,finding,x_min,y_min,x_max,y_max", sample.lines("findings.csv").get(0));
    }

    @Test
    void patientsBelongToOneSplitAndTrainPatientsComeFirst() {
        Map<String, String> splitOfPatient = new HashMap<>();
        int maxTrain = 0;
        int minValid = Integer.MAX_VALUE;
        for (Split split : Split.values()) {
            for (String line : sample.lines(split.folderName() + "_labeled_studies.csv")) {
                String patient = line.split("/")[3];
                String previous = splitOfPatient.put(patient, split.folderName());
                assertTrue(previous == null || previous.equals(split.folderName()), patient + " in both splits");
                int n = Integer.parseInt(patient.substring("patient".length()));
                if (split == Split.TRAIN) {
                    maxTrain = Math.max(maxTrain, n);
                } else {
                    minValid = Math.min(minValid, n);
                }
            }
        }
        assertTrue(maxTrain < minValid);
        assertEquals(manifest.total().patients(), splitOfPatient.size());
    }

    @Test
    void imagesHaveSidesInRangeAndComeInGrayAndRgb() {
        boolean gray = false;
        boolean rgb = false;
        for (Split split : Split.values()) {
            for (String path : sample.lines(split.folderName() + "_image_paths.csv")) {
                BufferedImage img = sample.image(path);
                assertTrue(img.getWidth() >= SPEC.minSide() && img.getWidth() <= SPEC.maxSide(), path);
                assertTrue(img.getHeight() >= SPEC.minSide() && img.getHeight() <= SPEC.maxSide(), path);
                int bands = img.getRaster().getNumBands();
                gray |= bands == 1;
                rgb |= bands == 3;
                if (bands == 3) {
                    int[] r = img.getRaster().getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null);
                    int[] b = img.getRaster().getSamples(0, 0, img.getWidth(), img.getHeight(), 2, (int[]) null);
                    assertTrue(java.util.Arrays.equals(r, b), "RGB channels must be identical: " + path);
                }
            }
        }
        assertTrue(gray && rgb, "both 8-bit gray and RGB PNGs expected");
    }

    @Test
    void findingsOnlyInAbnormalStudiesInsideTheImageAndInEveryAbnormalStudy() {
        Map<String, List<String[]>> findings = sample.findings();
        Set<String> studiesWithFindings = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (Map.Entry<String, List<String[]>> e : findings.entrySet()) {
            String path = e.getKey();
            assertTrue(path.contains("_positive/"), "finding in a normal study: " + path);
            BufferedImage img = sample.image(path);
            for (String[] f : e.getValue()) {
                kinds.add(f[1]);
                int x0 = Integer.parseInt(f[2]);
                int y0 = Integer.parseInt(f[3]);
                int x1 = Integer.parseInt(f[4]);
                int y1 = Integer.parseInt(f[5]);
                assertTrue(0 <= x0 && x0 < x1 && x1 <= img.getWidth(), path + " x " + x0 + ".." + x1);
                assertTrue(0 <= y0 && y0 < y1 && y1 <= img.getHeight(), path + " y " + y0 + ".." + y1);
                int side = Math.max(img.getWidth(), img.getHeight());
                assertTrue(Math.max(x1 - x0, y1 - y0) <= 0.3 * side, "box too large in " + path);
            }
            studiesWithFindings.add(path.substring(0, path.lastIndexOf('/') + 1));
        }
        for (Split split : Split.values()) {
            for (String line : sample.lines(split.folderName() + "_labeled_studies.csv")) {
                if (line.endsWith(",1")) {
                    assertTrue(studiesWithFindings.contains(line.substring(0, line.length() - 2)), line);
                }
            }
        }
        assertTrue(kinds.size() >= 2, "several finding kinds expected, got " + kinds);
    }

    @Test
    void refusesToReplaceAnExistingDatasetAndLeavesNoTemporaryFolders() throws IOException {
        assertThrows(IllegalStateException.class, () -> SyntheticMuraGenerator.generate(dir, SPEC, null));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of("MURA-v1.1"), entries.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void sameSeedGivesIdenticalBytesOnAnyThreadCountAndAnotherSeedDiffers(@TempDir Path other) throws IOException {
        SampleSpec tiny = new SampleSpec(11, 1, 1, 48, 72, 0.5);
        SyntheticMuraGenerator.generate(other.resolve("a"), tiny, null, false, 1);
        SyntheticMuraGenerator.generate(other.resolve("b"), tiny, null, false, 2);
        SyntheticMuraGenerator.generate(other.resolve("c"), tiny.withSeed(12), null, false, 2);
        Map<String, String> a = hashes(other.resolve("a"));
        assertTrue(a.size() > 10);
        assertEquals(a, hashes(other.resolve("b")));
        assertNotEquals(a, hashes(other.resolve("c")));
        assertFalse(a.get("MURA-v1.1/train_image_paths.csv").isEmpty());
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                MessageDigest md = sha256();
                out.put(root.relativize(p).toString().replace('\\', '/'),
                        HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
