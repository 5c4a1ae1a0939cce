package org.bonexray.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.bonexray.io.Sha256;

/**
 * An immutable index of a MURA-format dataset: body part, patient, study (label, images), per split,
 * with the report of what was found wrong or absent while reading it.
 *
 * @param root the dataset root ({@code .../MURA-v1.1})
 * @param studies every study kept, sorted by id
 * @param report issues found and what was left out
 */
public record MuraIndex(Path root, List<Study> studies, LoadReport report) {

    public MuraIndex {
        studies = studies.stream().sorted(Comparator.comparing(Study::id)).toList();
    }

    public List<Study> studies(Split split) {
        return select(s -> s.split() == split);
    }

    /** The studies of the given body parts (all when the set is empty). */
    public MuraIndex filter(Set<BodyPart> parts) {
        if (parts.isEmpty()) {
            return this;
        }
        return new MuraIndex(root, select(s -> parts.contains(s.bodyPart())), report);
    }

    public int imageCount() {
        return studies.stream().mapToInt(s -> s.images().size()).sum();
    }

    /**
     * The path of an image as MURA's CSVs write it ({@code MURA-v1.1/valid/XR_WRIST/.../image1.png}),
     * used to name images in prediction files.
     */
    public String csvPath(Path image) {
        Path base = root.toAbsolutePath().getParent();
        Path rel = base == null ? image : base.relativize(image.toAbsolutePath());
        return rel.toString().replace('\\', '/');
    }

    /**
     * A SHA-256 over the index's content (study ids, labels and image file names), recorded in manifests so
     * that a run says which data it saw. It hashes the listing, not the pixels, to stay fast on 40,000 images.
     */
    public String contentHash() {
        MessageDigest digest = Sha256.newDigest();
        for (Study s : studies) {
            String images = s.images().stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(","));
            digest.update((s.id() + ";" + s.label().value() + ";" + images + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(digest);
    }

    private List<Study> select(Predicate<Study> keep) {
        return studies.stream().filter(keep).toList();
    }
}
