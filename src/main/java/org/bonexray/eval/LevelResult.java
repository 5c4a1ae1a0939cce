package org.bonexray.eval;

import java.util.List;
import java.util.Objects;

/**
 * Metrics at one level (images or studies): overall, and per body part for the body parts present, in
 * {@link org.bonexray.data.BodyPart} order.
 */
public record LevelResult(GroupResult overall, List<GroupResult> byBodyPart) {

    public LevelResult {
        Objects.requireNonNull(overall, "overall");
        byBodyPart = List.copyOf(byBodyPart);
    }
}
