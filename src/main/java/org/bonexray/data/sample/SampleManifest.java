package org.bonexray.data.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Split;
import org.bonexray.io.Json;

/**
 * What a generated sample holds ({@code sample_manifest.json}), so that a dataset index can be checked
 * against it: counts per split and body part (keys are MURA folder names: {@code train}, {@code XR_WRIST}),
 * per split, and in total.
 *
 * @param generator        the generator's name
 * @param generatorVersion changes whenever the same spec would draw different images
 * @param seed             the spec's seed, repeated for readers that only look at the top level
 * @param spec             the full spec
 * @param counts           split folder name -> body part folder name -> counts
 * @param splitTotals      split folder name -> counts over all body parts
 * @param total            counts over everything
 * @param findings         rows in {@code findings.csv}
 */
public record SampleManifest(String generator, String generatorVersion, long seed, SampleSpec spec,
                             Map<String, Map<String, Counts>> counts, Map<String, Counts> splitTotals,
                             Counts total, int findings) {

    /** The sidecar's file name inside {@code MURA-v1.1/}. */
    public static final String FILE_NAME = "sample_manifest.json";

    public SampleManifest {
        // Sorted copies: JSON key order must not depend on hashing, or one seed would give different bytes.
        Map<String, Map<String, Counts>> sorted = new TreeMap<>();
        counts.forEach((split, parts) -> sorted.put(split, Collections.unmodifiableMap(new TreeMap<>(parts))));
        counts = Collections.unmodifiableMap(sorted);
        splitTotals = Collections.unmodifiableMap(new TreeMap<>(splitTotals));
    }

    /** The counts of one split and body part, zero when absent. */
    public Counts countsOf(Split split, BodyPart part) {
        return counts.getOrDefault(split.folderName(), Map.of()).getOrDefault(part.folderName(), Counts.ZERO);
    }

    /** The counts of one split over all body parts. */
    public Counts countsOf(Split split) {
        return splitTotals.getOrDefault(split.folderName(), Counts.ZERO);
    }

    /** Reads a manifest written by the generator. */
    public static SampleManifest read(Path file) {
        try {
            return Json.MAPPER.readValue(file.toFile(), SampleManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Study, image and patient counts, split by label. */
    public record Counts(int patients, int studies, int images, int abnormalStudies, int normalStudies,
                         int abnormalImages, int normalImages) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

        public Counts {
            if (abnormalStudies + normalStudies != studies || abnormalImages + normalImages != images) {
                throw new IllegalArgumentException("label counts do not add up: " + studies + " studies, "
                        + images + " images");
            }
        }

        /** The element-wise sum. */
        public Counts plus(Counts o) {
            return new Counts(patients + o.patients, studies + o.studies, images + o.images,
                    abnormalStudies + o.abnormalStudies, normalStudies + o.normalStudies,
                    abnormalImages + o.abnormalImages, normalImages + o.normalImages);
        }
    }
}
