package org.bonexray.model.weights;

import java.util.List;

/**
 * What a weight import did, by torchvision key.
 *
 * @param loaded keys copied into the block
 * @param missing block keys the file does not have (left as they were)
 * @param unexpected file keys the block does not have (not used)
 * @param skipped file keys left out on purpose ({@code num_batches_tracked}, an excluded classifier)
 * @param notes how the file's keys were mapped to torchvision's (nesting, prefixes, legacy names, channels)
 */
public record ImportReport(List<String> loaded, List<String> missing, List<String> unexpected, List<String> skipped,
                           List<String> notes) {
    public ImportReport {
        loaded = List.copyOf(loaded);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    /** The same report with the notes of how the file was read. */
    public ImportReport withNotes(List<String> readingNotes) {
        return new ImportReport(loaded, missing, unexpected, skipped, readingNotes);
    }

    /** Whether every expected key was loaded and nothing in the file went unused. */
    public boolean complete() {
        return missing.isEmpty() && unexpected.isEmpty();
    }

    /** One line for logs: counts, then the first missing and unexpected keys. */
    public String summary() {
        return loaded.size() + " tensors loaded, " + skipped.size() + " skipped, missing: "
                + abbreviate(missing) + ", unexpected: " + abbreviate(unexpected);
    }

    /** The first keys of a list, with how many more there are. */
    public static String abbreviate(List<String> keys) {
        int shown = 10;
        if (keys.size() <= shown) {
            return keys.toString();
        }
        return keys.subList(0, shown) + " and " + (keys.size() - shown) + " more";
    }
}
