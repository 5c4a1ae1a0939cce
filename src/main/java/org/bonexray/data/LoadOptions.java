package org.bonexray.data;

import java.util.EnumSet;
import java.util.Set;

/**
 * How strictly to read a MURA-format tree.
 *
 * @param presentOnly keep only what is on disk when the CSVs list more (a partial copy), counting what was left out
 * @param skipInvalid leave out wrong entries (contradicting labels, unknown body parts, empty studies, ...)
 *     instead of refusing the dataset
 * @param bodyParts the body parts to keep (all when empty)
 */
public record LoadOptions(boolean presentOnly, boolean skipInvalid, Set<BodyPart> bodyParts) {

    public static final LoadOptions STRICT = new LoadOptions(false, false, Set.of());

    public LoadOptions {
        bodyParts = bodyParts.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bodyParts));
    }

    public boolean keeps(BodyPart part) {
        return bodyParts.isEmpty() || bodyParts.contains(part);
    }

    /** True when an issue of this kind does not stop loading. */
    public boolean tolerates(IssueKind kind) {
        return kind.isAbsence() ? presentOnly : skipInvalid;
    }
}
