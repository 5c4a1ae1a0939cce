package org.bonexray.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MuraIndexLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheOfficialCsvs() {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        MuraIndex index = MuraIndexLoader.load(tree.root, LoadOptions.STRICT);
        assertTrue(index.report().isClean(), () -> index.report().issues().toString());
        assertEquals("csv", index.report().sources().get(Split.TRAIN));
        assertEquals(5, index.studies(Split.TRAIN).size());
        assertEquals(2, index.studies(Split.VALID).size());
        assertEquals(13, index.imageCount());
        Study s = index.studies().get(index.studies().size() - 1);
        assertEquals("valid/XR_WRIST/patient00010/study1_positive", s.id());
        assertEquals(BodyPart.WRIST, s.bodyPart());
        assertEquals("patient00010", s.patientId());
        assertEquals(Label.ABNORMAL, s.label());
        assertEquals("MURA-v1.1/valid/XR_WRIST/patient00010/study1_positive/image1.png", index.csvPath(s.images().get(0)));
    }

    @Test
    void folderScanFindsTheSameStudiesAsTheCsvs() throws IOException {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        MuraIndex fromCsv = MuraIndexLoader.load(tree.root, LoadOptions.STRICT);
        for (Split split : Split.values()) {
            Files.delete(tree.root.resolve(split.folderName() + "_labeled_studies.csv"));
            Files.delete(tree.root.resolve(split.folderName() + "_image_paths.csv"));
        }
        MuraIndex scanned = MuraIndexLoader.load(tree.root, LoadOptions.STRICT);
        assertEquals("folder scan", scanned.report().sources().get(Split.VALID));
        assertEquals(fromCsv.studies(), scanned.studies());
        assertEquals(fromCsv.contentHash(), scanned.contentHash());
    }

    @Test
    void acceptsTheFolderThatHoldsTheRoot() {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        assertEquals(tree.root, MuraIndexLoader.load(tmp, LoadOptions.STRICT).root());
    }

    @Test
    void imagesKeepNaturalOrderInAScan() {
        MuraTree tree = new MuraTree(tmp);
        Path dir = tree.study(Split.TRAIN, "XR_HAND", 1, 1, false, 11);
        MuraIndex index = MuraIndexLoader.load(tree.root, LoadOptions.STRICT);
        List<Path> images = index.studies().get(0).images();
        assertEquals(dir.resolve("image2.png"), images.get(1));
        assertEquals(dir.resolve("image10.png"), images.get(9));
    }

    @Test
    void partialCopyIsRefusedUnlessPresentOnlyAndThenCounted() throws IOException {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        AtomicDelete.tree(tree.root.resolve("train/XR_HAND"));
        Files.delete(tree.root.resolve("train/XR_WRIST/patient00002/study1_negative/image3.png"));
        DatasetValidationException e = assertThrows(DatasetValidationException.class,
                () -> MuraIndexLoader.load(tree.root, LoadOptions.STRICT));
        assertEquals(3, e.blocking().size());
        assertTrue(e.getMessage().contains("--present-only"), e.getMessage());
        assertTrue(e.getMessage().contains("image3.png"), e.getMessage());

        MuraIndex index = MuraIndexLoader.load(tree.root, new LoadOptions(true, false, Set.of()));
        assertEquals(3, index.studies(Split.TRAIN).size());
        assertEquals(2, index.report().studiesLeftOut());
        assertEquals(5, index.report().imagesLeftOut());
        assertEquals(2, index.studies(Split.TRAIN).stream()
                .filter(s -> s.patientId().equals("patient00002")).findFirst().orElseThrow().images().size());
    }

    @Test
    void bodyPartFilterIgnoresOtherPartsEvenWhenAbsent() throws IOException {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        AtomicDelete.tree(tree.root.resolve("train/XR_HAND"));
        MuraIndex index = MuraIndexLoader.load(tree.root, new LoadOptions(false, false, Set.of(BodyPart.WRIST)));
        assertTrue(index.studies().stream().allMatch(s -> s.bodyPart() == BodyPart.WRIST));
        assertEquals(4, index.studies().size());
        assertTrue(index.report().isClean());
    }

    @Test
    void indexHashChangesWithContent() {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        String before = MuraIndexLoader.load(tree.root, LoadOptions.STRICT).contentHash();
        String again = MuraIndexLoader.load(tree.root, LoadOptions.STRICT).contentHash();
        assertEquals(before, again);
        MuraIndex filtered = MuraIndexLoader.load(tree.root, LoadOptions.STRICT).filter(Set.of(BodyPart.HAND));
        assertFalse(before.equals(filtered.contentHash()));
    }

    @Test
    void notAMuraFolderIsRefusedClearly() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        DataException e = assertThrows(DataException.class,
                () -> MuraIndexLoader.load(tmp.resolve("empty"), LoadOptions.STRICT));
        assertTrue(e.getMessage().contains("not a MURA-format dataset"), e.getMessage());
        DataException missing = assertThrows(DataException.class,
                () -> MuraIndexLoader.load(tmp.resolve("nope"), LoadOptions.STRICT));
        assertTrue(missing.getMessage().contains("no such directory"));
    }

    /** Recursive delete for tests. */
    static final class AtomicDelete {
        static void tree(Path p) throws IOException {
            org.bonexray.io.AtomicFiles.deleteRecursively(p);
        }
    }
}
