package org.bonexray.model.weights;

import java.util.List;
import org.bonexray.model.weights.format.StateDict;

/**
 * Where a run's starting weights came from and how they were read, for the run manifest and the model card.
 *
 * @param source {@code imagenet} (the catalogue) or {@code file}
 * @param entry the catalogue name, or null for a local file
 * @param file the file read (absolute)
 * @param url the source URL at its revision, or null for a local file
 * @param revision the hub commit id, or null
 * @param sha256 the file's SHA-256
 * @param verifiedBy what the file was checked against ({@code not verified: a local file} for {@code --pretrained FILE})
 * @param location where the file was found (a cache, {@code downloaded}, {@code local file})
 * @param format the file's format
 * @param moduleClass the class of a whole pickled module (torchxrayvision's), or null
 * @param expectedNormalization the input scaling the weights expect ({@code IMAGENET}, {@code XRAY})
 * @param mapping how the file's keys were mapped to the network's
 * @param loaded tensors loaded
 * @param skipped tensors left out on purpose (classifier, counters)
 */
public record PretrainedProvenance(String source, String entry, String file, String url, String revision,
                                   String sha256, String verifiedBy, String location, String format, String moduleClass,
                                   String expectedNormalization, List<String> mapping, int loaded, int skipped) {
    public PretrainedProvenance {
        mapping = mapping == null ? List.of() : List.copyOf(mapping);
    }

    /** The provenance of weights read from {@code source} ({@code raw} as read, before key mapping). */
    public static PretrainedProvenance of(PretrainedSource source, String sha256, StateDict raw, ImportReport report) {
        FetchedWeights c = source.catalogue().orElse(null);
        String normalization = PretrainedSource.isTorchXrayVision(raw.moduleClass()) ? "XRAY" : "IMAGENET";
        return new PretrainedProvenance(c != null ? PretrainedSource.IMAGENET : "file", c == null ? null : c.entry(),
                source.file().toAbsolutePath().toString(), c == null ? null : c.url(), c == null ? null : c.revision(),
                sha256, c == null ? "not verified: a local file the user chose" : c.verifiedBy(),
                c == null ? "local file" : c.location(), raw.format().description(), raw.moduleClass().orElse(null),
                normalization, report.notes(), report.loaded().size(), report.skipped().size());
    }
}
