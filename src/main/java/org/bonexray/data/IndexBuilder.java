package org.bonexray.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects the studies kept, the issues found and what was left out while one dataset is read. */
final class IndexBuilder {
    final LoadOptions options;
    final List<Study> studies = new ArrayList<>();
    final List<ValidationIssue> issues = new ArrayList<>();
    int studiesLeftOut;
    int imagesLeftOut;

    IndexBuilder(LoadOptions options) {
        this.options = options;
    }

    void issue(IssueKind kind, Path path, String detail) {
        issues.add(new ValidationIssue(kind, path, detail));
    }

    void leaveOut(int studyCount, int imageCount) {
        studiesLeftOut += studyCount;
        imagesLeftOut += imageCount;
    }

    List<ValidationIssue> blocking() {
        return issues.stream().filter(i -> !options.tolerates(i.kind())).toList();
    }
}
