package org.bonexray.explain.boxes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Study;

/**
 * Finds the dataset image an annotation names. A spelling names an image when its file name agrees with the image's
 * (without their extensions: an annotation made on a JPEG copy of a PNG still matches) and its folders agree with the
 * image's path as MURA's CSVs write it, from the file up: all of them (the spelling is a tail of the path, such as
 * {@code patient00001/study1_positive/image1.png} or {@code valid/XR_HAND/patient00001/study1_positive/image1.png}),
 * or, for a longer spelling such as an absolute path on the annotator's machine, at least the study and patient
 * folders. The image agreeing over the most folders wins; two agreeing equally are refused as ambiguous, naming both
 * (a bare {@code image1.png} names every study's first view). Hand-rolled: no maintained library matches annotation
 * names to a dataset's files.
 */
final class ImageMatcher {
    /** Folders plus file name that must agree when a spelling names more than that: patient, study, image. */
    private static final int MIN_TAIL = 3;
    private final Map<String, List<Candidate>> byStem = new HashMap<>();

    private record Candidate(String csvPath, String[] parts) {
    }

    /** A matcher over every image of the index, whatever its split. */
    ImageMatcher(MuraIndex index) {
        for (Study study : index.studies()) {
            for (Path image : study.images()) {
                String csvPath = index.csvPath(image);
                String[] parts = components(csvPath);
                byStem.computeIfAbsent(parts[parts.length - 1], k -> new ArrayList<>()).add(new Candidate(csvPath, parts));
            }
        }
    }

    /**
     * The CSV path of the image the spellings name, the best-matching spelling winning.
     *
     * @param spellings paths or file names of one image
     * @param file the annotation file, for messages
     * @param where the entry, for messages
     * @return the image's CSV path, empty when no image has that file name
     * @throws DataException when two images match equally well
     */
    Optional<String> match(List<String> spellings, Path file, String where) {
        Candidate best = null;
        Candidate rival = null;
        int bestLength = 0;
        for (String spelling : spellings) {
            String[] wanted = components(spelling);
            for (Candidate candidate : byStem.getOrDefault(wanted[wanted.length - 1], List.of())) {
                int length = commonTail(wanted, candidate.parts());
                if (length < wanted.length && length < MIN_TAIL) {
                    continue; // a folder the spelling names differs: another patient's or study's image
                }
                if (length > bestLength) {
                    best = candidate;
                    rival = null;
                    bestLength = length;
                } else if (length == bestLength && best != null && candidate != best) {
                    rival = candidate;
                }
            }
        }
        if (rival != null) {
            throw new DataException(file, where + ": '" + spellings.get(0) + "' matches both " + best.csvPath()
                    + " and " + rival.csvPath() + " (give the path from the study folder up)");
        }
        return Optional.ofNullable(best).map(Candidate::csvPath);
    }

    /** The path's folder names and file name, split on either slash, the file name without its extension. */
    private static String[] components(String path) {
        String[] parts = path.replace('\\', '/').replaceAll("^/+|/+$", "").split("/+");
        String last = parts[parts.length - 1];
        int dot = last.lastIndexOf('.');
        parts[parts.length - 1] = dot > 0 ? last.substring(0, dot) : last;
        return parts;
    }

    private static int commonTail(String[] a, String[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[a.length - 1 - n].equals(b[b.length - 1 - n])) {
            n++;
        }
        return n;
    }
}
