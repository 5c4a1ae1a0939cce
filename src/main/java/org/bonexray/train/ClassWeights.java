package org.bonexray.train;

import org.bonexray.data.BodyPart;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * MURA's per-body-part class weights for the loss: for a body part with A abnormal and N normal training
 * images, abnormal images weigh {@code N/(A+N)} and normal ones {@code A/(A+N)}, so that both classes of the
 * part contribute equally. Both counts must be positive: with one class missing the formula would give the
 * present class weight 0 and silently drop the part from training.
 *
 * @param counts per body part, the numbers of abnormal and normal training images
 */
public record ClassWeights(Map<BodyPart, Counts> counts) {
    /**
     * Image counts of one body part.
     *
     * @param abnormal abnormal training images (A)
     * @param normal normal training images (N)
     */
    public record Counts(long abnormal, long normal) {
        /** Validates the counts: both positive. */
        public Counts {
            if (abnormal <= 0 || normal <= 0) {
                throw new IllegalArgumentException("a body part needs abnormal and normal training images"
                        + " (its weights would drop one class), got abnormal=" + abnormal + ", normal=" + normal);
            }
        }
    }

    /** Copies and validates the counts. */
    public ClassWeights {
        Objects.requireNonNull(counts, "counts");
        counts.forEach((part, c) -> {
            Objects.requireNonNull(part, "body part");
            Objects.requireNonNull(c, "counts of " + part);
        });
        counts = counts.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    /** Builds the weights from {@code {abnormal, normal}} image counts per body part. */
    public static ClassWeights fromCounts(Map<BodyPart, long[]> abnormalNormal) {
        Map<BodyPart, Counts> map = new EnumMap<>(BodyPart.class);
        abnormalNormal.forEach((part, c) -> {
            if (c == null || c.length != 2) {
                throw new IllegalArgumentException("counts of " + part + " must be {abnormal, normal}");
            }
            try {
                map.put(part, new Counts(c[0], c[1]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(part + ": " + e.getMessage(), e);
            }
        });
        return new ClassWeights(map);
    }

    /** The loss weight of an image of {@code part} with the given label. */
    public double weight(BodyPart part, boolean abnormal) {
        Counts c = counts.get(Objects.requireNonNull(part, "body part"));
        if (c == null) {
            throw new IllegalArgumentException("no training image counts for body part " + part);
        }
        double total = c.abnormal() + c.normal();
        return (abnormal ? c.normal() : c.abnormal()) / total;
    }
}
