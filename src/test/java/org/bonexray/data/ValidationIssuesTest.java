package org.bonexray.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of problem in a MURA tree is reported with its path, refuses the dataset, and is skippable. */
class ValidationIssuesTest {
    private static final LoadOptions SKIP = new LoadOptions(false, true, Set.of());

    @TempDir
    Path tmp;

    private ValidationIssue single(MuraTree tree, IssueKind kind) {
        DatasetValidationException e = assertThrows(DatasetValidationException.class,
                () -> MuraIndexLoader.load(tree.root, LoadOptions.STRICT));
        assertEquals(1, e.blocking().size(), e.getMessage());
        ValidationIssue issue = e.blocking().get(0);
        assertEquals(kind, issue.kind());
        assertTrue(e.getMessage().contains(issue.path().toString()), e.getMessage());
        return issue;
    }

    @Test
    void labelContradictingFolder() {
        MuraTree tree = MuraTree.standard(tmp);
        tree.addStudyLine("MURA-v1.1/train/XR_HAND/patient00005/study1_negative/,1");
        tree.study(Split.TRAIN, "XR_HAND", 5, 1, false, 1);
        tree.studyLines().remove(tree.studyLines().size() - 1);
        tree.writeCsvs();
        ValidationIssue issue = single(tree, IssueKind.LABEL_CONTRADICTS_FOLDER);
        assertTrue(issue.path().endsWith("study1_negative"));
        assertTrue(issue.detail().contains("line"), issue.detail());
        MuraIndex index = MuraIndexLoader.load(tree.root, SKIP);
        assertTrue(index.studies().stream().noneMatch(s -> s.patientId().equals("patient00005")));
    }

    @Test
    void listedImageMissing() throws IOException {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        Path gone = tree.root.resolve("valid/XR_HAND/patient00011/study1_negative/image2.png");
        Files.delete(gone);
        assertEquals(gone, single(tree, IssueKind.LISTED_IMAGE_MISSING).path());
    }

    @Test
    void imageOnDiskNotListed() {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        Path extra = tree.root.resolve("valid/XR_HAND/patient00011/study1_negative/image9.png");
        MuraTree.writePng(extra);
        assertEquals(extra, single(tree, IssueKind.UNLISTED_IMAGE).path());
        MuraIndex index = MuraIndexLoader.load(tree.root, SKIP);
        assertEquals(13, index.imageCount());
        assertEquals(1, index.report().imagesLeftOut());
    }

    @Test
    void studyFolderNotListed() {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        MuraTree.writePng(tree.root.resolve("valid/XR_HAND/patient00012/study1_negative/image1.png"));
        assertTrue(single(tree, IssueKind.UNLISTED_STUDY).path().endsWith("patient00012/study1_negative"));
    }

    @Test
    void unknownBodyPartInCsvAndOnDisk() {
        MuraTree tree = MuraTree.standard(tmp);
        tree.study(Split.TRAIN, "XR_KNEE", 7, 1, true, 2);
        tree.writeCsvs();
        DatasetValidationException e = assertThrows(DatasetValidationException.class,
                () -> MuraIndexLoader.load(tree.root, LoadOptions.STRICT));
        assertTrue(e.blocking().stream().allMatch(i -> i.kind() == IssueKind.UNKNOWN_BODY_PART), e.getMessage());
        assertTrue(e.getMessage().contains("XR_KNEE"));
        assertEquals(5, MuraIndexLoader.load(tree.root, SKIP).studies(Split.TRAIN).size());
    }

    @Test
    void emptyStudyInCsvAndInScan() throws IOException {
        MuraTree tree = MuraTree.standard(tmp);
        tree.addStudyLine("MURA-v1.1/valid/XR_HAND/patient00013/study1_positive/,1");
        Files.createDirectories(tree.root.resolve("valid/XR_HAND/patient00013/study1_positive"));
        tree.writeCsvs();
        single(tree, IssueKind.EMPTY_STUDY);
        for (Split split : Split.values()) {
            Files.delete(tree.root.resolve(split.folderName() + "_labeled_studies.csv"));
            Files.delete(tree.root.resolve(split.folderName() + "_image_paths.csv"));
        }
        single(tree, IssueKind.EMPTY_STUDY);
    }

    @Test
    void imagesOfAStudyWithoutLabel() {
        MuraTree tree = MuraTree.standard(tmp);
        tree.study(Split.VALID, "XR_HAND", 14, 1, true, 1);
        tree.studyLines().remove(tree.studyLines().size() - 1);
        tree.writeCsvs();
        single(tree, IssueKind.STUDY_WITHOUT_LABEL);
    }

    @Test
    void studyFolderWithoutLabelSuffixInAScan() {
        MuraTree tree = MuraTree.standard(tmp);
        MuraTree.writePng(tree.root.resolve("valid/XR_HAND/patient00015/study1/image1.png"));
        single(tree, IssueKind.STUDY_WITHOUT_LABEL);
    }

    @Test
    void malformedAndDuplicateLines() {
        MuraTree tree = MuraTree.standard(tmp);
        tree.addStudyLine("MURA-v1.1/train/XR_HAND/patient00003/study1_positive/,yes");
        tree.addStudyLine("MURA-v1.1/train/XR_WRIST/patient00001/study1_positive/,1");
        tree.writeCsvs();
        DatasetValidationException e = assertThrows(DatasetValidationException.class,
                () -> MuraIndexLoader.load(tree.root, LoadOptions.STRICT));
        List<IssueKind> kinds = e.blocking().stream().map(ValidationIssue::kind).toList();
        assertEquals(List.of(IssueKind.MALFORMED_ENTRY, IssueKind.DUPLICATE_ENTRY), kinds);
        assertTrue(e.blocking().get(0).detail().contains("line 6"), e.blocking().get(0).detail());
        assertEquals(7, MuraIndexLoader.load(tree.root, SKIP).studies().size());
    }

    @Test
    void oneCsvOfTwoIsRefused() throws IOException {
        MuraTree tree = MuraTree.standard(tmp).writeCsvs();
        Files.delete(tree.root.resolve("train_image_paths.csv"));
        DataException e = assertThrows(DataException.class, () -> MuraIndexLoader.load(tree.root, SKIP));
        assertTrue(e.getMessage().contains("train_image_paths.csv"), e.getMessage());
    }
}
