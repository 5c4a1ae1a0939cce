package org.bonexray.explain.boxes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Study;
import org.bonexray.data.image.ImageDimensions;
import org.bonexray.explain.Box;
import org.bonexray.io.StopSignal;

/**
 * Reads finding boxes of any {@link BoxFormat} into {@link Box}es per image, keyed by the image's path as MURA's CSVs
 * write it (what {@code LocalizationBenchmark.cases} looks up). Each box's image is found by {@link ImageMatcher};
 * its edges are rounded to the nearest pixel boundary (YOLO's fractions first scaled by the image's real size, read
 * from the file's header) and clipped to the image. A box that names no image, or is empty once clipped, or whose
 * image cannot be read, is counted in the {@link Report} and left out: one such entry never stops the run.
 */
public final class BoxLoader {
    private static final int EXAMPLES = 3;

    /**
     * What a load found.
     *
     * @param source the file or folder read
     * @param format its format
     * @param read boxes in the source
     * @param kept boxes matched to an image and non-empty
     * @param images images with at least one kept box
     * @param unmatched boxes naming no image of the dataset
     * @param unmatchedExamples a few of the names that matched nothing
     * @param empty boxes left empty by clipping to the image
     * @param sizeMismatches boxes whose file states an image size other than the image's (kept in the file's pixels)
     * @param unreadable images whose size could not be read, with the reason
     */
    public record Report(Path source, BoxFormat format, int read, int kept, int images, int unmatched,
                         List<String> unmatchedExamples, int empty, int sizeMismatches, List<String> unreadable) {

        /** One line for the console. */
        public String summary() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "boxes: %d read from %s (%s), %d kept on %d"
                    + " images", read, source, format.name().toLowerCase(Locale.ROOT), kept, images));
            if (unmatched > 0) {
                sb.append(String.format(Locale.ROOT, "; %d matched no image (e.g. %s)", unmatched,
                        String.join(", ", unmatchedExamples)));
            }
            if (empty > 0) {
                sb.append(String.format(Locale.ROOT, "; %d empty after clipping to the image", empty));
            }
            if (sizeMismatches > 0) {
                sb.append(String.format(Locale.ROOT, "; %d state an image size other than the file's", sizeMismatches));
            }
            if (!unreadable.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "; %d images unreadable", unreadable.size()));
            }
            return sb.toString();
        }
    }

    /**
     * The boxes and the report of a load.
     *
     * @param boxes image path (as MURA's CSVs write it) to its boxes, in source order
     * @param report what was read, kept and left out
     */
    public record Loaded(Map<String, List<Box>> boxes, Report report) {
    }

    private BoxLoader() {
    }

    /**
     * Reads, matches and converts.
     *
     * @param source the annotation file or folder
     * @param format its format ({@link BoxFormat#detect} tells it from the path)
     * @param index the dataset whose images the boxes are matched to
     * @return the boxes per image and the report
     * @throws DataException when the source is unreadable, an entry malformed, or a name ambiguous
     */
    public static Loaded load(Path source, BoxFormat format, MuraIndex index) {
        List<SourceBox> read = format.read(source);
        ImageMatcher matcher = new ImageMatcher(index);
        Map<String, Path> files = new HashMap<>();
        for (Study study : index.studies()) {
            study.images().forEach(image -> files.put(index.csvPath(image), image));
        }
        Map<String, ImageDimensions.Size> sizes = new HashMap<>();
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        List<String> unmatchedExamples = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int unmatched = 0;
        int empty = 0;
        int mismatches = 0;
        for (SourceBox box : read) {
            StopSignal.checkpoint();
            Optional<String> image = matcher.match(box.spellings(), box.file(), box.entry());
            if (image.isEmpty()) {
                unmatched++;
                if (unmatchedExamples.size() < EXAMPLES) {
                    unmatchedExamples.add(box.spellings().get(0));
                }
                continue;
            }
            ImageDimensions.Size size = size(image.get(), files.get(image.get()), sizes, unreadable);
            if (size == null) {
                continue;
            }
            if (box.declaredWidth() > 0 && (box.declaredWidth() != size.width()
                    || box.declaredHeight() != size.height())) {
                mismatches++;
            }
            Box pixels = toPixels(box, size);
            if (pixels == null) {
                empty++;
            } else {
                boxes.computeIfAbsent(image.get(), k -> new ArrayList<>()).add(pixels);
            }
        }
        int kept = boxes.values().stream().mapToInt(List::size).sum();
        return new Loaded(boxes, new Report(source, format, read.size(), kept, boxes.size(), unmatched,
                List.copyOf(unmatchedExamples), empty, mismatches, List.copyOf(unreadable)));
    }

    /** The image's size, read once; null (and the reason noted once) when its header cannot be read. */
    private static ImageDimensions.Size size(String csvPath, Path file, Map<String, ImageDimensions.Size> sizes,
                                             List<String> unreadable) {
        if (!sizes.containsKey(csvPath)) {
            try {
                sizes.put(csvPath, ImageDimensions.of(file));
            } catch (DataException e) {
                sizes.put(csvPath, null);
                unreadable.add(e.getMessage());
            }
        }
        return sizes.get(csvPath);
    }

    /**
     * The box in the image's pixels, edges rounded to the nearest pixel boundary and clipped to the image; null when
     * nothing is left.
     */
    static Box toPixels(SourceBox box, ImageDimensions.Size size) {
        double sx = box.normalised() ? size.width() : 1;
        double sy = box.normalised() ? size.height() : 1;
        int xMin = clip(box.xMin() * sx, size.width());
        int yMin = clip(box.yMin() * sy, size.height());
        int xMax = clip(box.xMax() * sx, size.width());
        int yMax = clip(box.yMax() * sy, size.height());
        return xMax > xMin && yMax > yMin ? new Box(xMin, yMin, xMax, yMax) : null;
    }

    private static int clip(double edge, int limit) {
        return (int) Math.max(0, Math.min(limit, Math.round(edge)));
    }
}
