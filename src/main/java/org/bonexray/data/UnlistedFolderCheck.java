package org.bonexray.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** Finds study folders on disk that a split's CSVs do not list, and body-part folders MURA does not know. */
final class UnlistedFolderCheck {
    private final Path root;
    private final Split split;
    private final IndexBuilder out;
    private final Set<String> listedStudyIds;

    UnlistedFolderCheck(Path root, Split split, IndexBuilder out, Set<String> listedStudyIds) {
        this.root = root;
        this.split = split;
        this.out = out;
        this.listedStudyIds = listedStudyIds;
    }

    void run() {
        Path splitDir = root.resolve(split.folderName());
        if (!Files.isDirectory(splitDir)) {
            return;
        }
        try {
            for (Path partDir : MuraPaths.subfolders(splitDir)) {
                Optional<BodyPart> part = BodyPart.parse(partDir.getFileName().toString());
                if (part.isEmpty()) {
                    out.issue(IssueKind.UNKNOWN_BODY_PART, partDir, "folder on disk");
                    continue;
                }
                if (out.options.keeps(part.get())) {
                    checkStudies(partDir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkStudies(Path partDir) throws IOException {
        for (Path patientDir : MuraPaths.subfolders(partDir)) {
            for (Path studyDir : MuraPaths.subfolders(patientDir)) {
                String id = root.relativize(studyDir).toString().replace('\\', '/');
                if (!listedStudyIds.contains(id)) {
                    int images = MuraPaths.imagesIn(studyDir).size();
                    out.issue(IssueKind.UNLISTED_STUDY, studyDir, images + " image(s) on disk");
                    out.leaveOut(1, images);
                }
            }
        }
    }
}
