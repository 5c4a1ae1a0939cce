package org.bonexray.eval;

import java.util.Objects;
import org.bonexray.data.BodyPart;

/**
 * Metrics of one group of predictions (one body part, or all of them) at one level.
 *
 * @param bodyPart  the body part, or null for all body parts together
 * @param studies   studies in the group
 * @param images    images in the group
 * @param metrics   the point estimates
 * @param intervals bootstrap intervals (fields null when turned off or undefined)
 */
public record GroupResult(BodyPart bodyPart, int studies, int images, BinaryMetrics metrics,
                          MetricIntervals intervals) {

    public GroupResult {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(intervals, "intervals");
    }

    /** The row name of tables: the body part's display name, or "All". */
    public String displayName() {
        return bodyPart == null ? "All" : bodyPart.displayName();
    }
}
