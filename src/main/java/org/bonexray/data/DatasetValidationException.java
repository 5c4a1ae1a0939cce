package org.bonexray.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A dataset refused because of issues the user did not allow; carries every blocking issue. */
public class DatasetValidationException extends DataException {
    private static final long serialVersionUID = 1L;
    private final transient List<ValidationIssue> blocking;

    public DatasetValidationException(Path root, List<ValidationIssue> blocking) {
        super(root, summary(blocking));
        this.blocking = List.copyOf(blocking);
    }

    public List<ValidationIssue> blocking() {
        return blocking;
    }

    private static String summary(List<ValidationIssue> blocking) {
        Map<IssueKind, Long> counts = blocking.stream()
                .collect(Collectors.groupingBy(ValidationIssue::kind, java.util.TreeMap::new, Collectors.counting()));
        StringBuilder sb = new StringBuilder(blocking.size() + " problem(s) in the dataset: ");
        sb.append(counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        blocking.stream().limit(20).forEach(i -> sb.append(System.lineSeparator()).append("  ").append(i));
        if (blocking.size() > 20) {
            sb.append(System.lineSeparator()).append("  ... and ").append(blocking.size() - 20).append(" more");
        }
        boolean absence = counts.keySet().stream().anyMatch(IssueKind::isAbsence);
        boolean invalid = counts.keySet().stream().anyMatch(k -> !k.isAbsence());
        sb.append(System.lineSeparator()).append("To go on: ");
        if (absence) {
            sb.append("--present-only uses what is on disk (for a partial copy, or pick --body-part)");
        }
        if (invalid) {
            sb.append(absence ? "; " : "").append("--skip-invalid leaves the wrong entries out");
        }
        return sb.toString();
    }
}
