package org.bonexray.data;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What reading a dataset found: every issue (with path and reason), where each split was read from,
 * and how much was left out because it was absent or invalid.
 *
 * @param issues every issue found, in the order found
 * @param sources per split, {@code csv} or {@code folder scan}
 * @param studiesLeftOut studies listed or found but not kept
 * @param imagesLeftOut images listed or found but not kept
 */
public record LoadReport(List<ValidationIssue> issues, Map<Split, String> sources, int studiesLeftOut, int imagesLeftOut) {

    public LoadReport {
        issues = List.copyOf(issues);
        sources = Map.copyOf(sources);
    }

    /** Number of issues of each kind. */
    public Map<IssueKind, Integer> countsByKind() {
        Map<IssueKind, Integer> counts = new EnumMap<>(IssueKind.class);
        for (ValidationIssue issue : issues) {
            counts.merge(issue.kind(), 1, Integer::sum);
        }
        return counts;
    }

    public boolean isClean() {
        return issues.isEmpty();
    }
}
