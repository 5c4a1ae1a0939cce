package org.bonexray.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads one split by walking {@code <split>/XR_PART/patient/study_label/image} when the split's CSVs are
 * absent; labels come from the study folders' {@code _positive}/{@code _negative} suffixes.
 */
final class FolderSplitScanner {
    private final Path root;
    private final Split split;
    private final IndexBuilder out;

    FolderSplitScanner(Path root, Split split, IndexBuilder out) {
        this.root = root;
        this.split = split;
        this.out = out;
    }

    void read() {
        try {
            for (Path partDir : MuraPaths.subfolders(root.resolve(split.folderName()))) {
                Optional<BodyPart> part = BodyPart.parse(partDir.getFileName().toString());
                if (part.isEmpty()) {
                    out.issue(IssueKind.UNKNOWN_BODY_PART, partDir, "folder on disk");
                } else if (out.options.keeps(part.get())) {
                    readPart(partDir, part.get());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readPart(Path partDir, BodyPart part) throws IOException {
        for (Path patientDir : MuraPaths.subfolders(partDir)) {
            for (Path studyDir : MuraPaths.subfolders(patientDir)) {
                List<Path> images = MuraPaths.imagesIn(studyDir);
                Optional<Label> label = Label.fromStudyFolder(studyDir.getFileName().toString());
                if (label.isEmpty()) {
                    out.issue(IssueKind.STUDY_WITHOUT_LABEL, studyDir, "folder name does not end in _positive or _negative");
                    out.leaveOut(1, images.size());
                } else if (images.isEmpty()) {
                    out.issue(IssueKind.EMPTY_STUDY, studyDir, "no PNG, JPEG or DICOM file in the folder");
                    out.leaveOut(1, 0);
                } else {
                    String id = root.relativize(studyDir).toString().replace('\\', '/');
                    out.studies.add(new Study(id, split, part, patientDir.getFileName().toString(), label.get(), images));
                }
            }
        }
    }
}
