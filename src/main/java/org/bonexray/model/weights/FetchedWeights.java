package org.bonexray.model.weights;

import java.nio.file.Path;

/**
 * A catalogue file at hand, verified, with where it came from: what the run manifest and the model card record.
 *
 * @param entry the catalogue name, for example {@code densenet169.tv_in1k}
 * @param file the verified file
 * @param url where it was (or would be) downloaded from, at its revision
 * @param revision the hub commit id, or null (torchvision's files have none)
 * @param sha256 the file's SHA-256
 * @param verifiedBy what the file was checked against (pinned digest, the hub's published digest, torch.hub's
 *     file-name prefix, ...)
 * @param location where it was found: {@code downloaded}, {@code bonexray cache}, {@code Hugging Face cache},
 *     {@code torch hub cache} or {@code imported}
 */
public record FetchedWeights(String entry, Path file, String url, String revision, String sha256, String verifiedBy,
                             String location) {
}
