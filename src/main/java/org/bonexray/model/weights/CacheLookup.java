package org.bonexray.model.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bonexray.io.Sha256;

/**
 * Looks for a catalogue file that is already on disk and verifiable, before anything is downloaded: in bonexray's
 * cache (checked against the pinned digest, torchvision's name prefix, or the digest recorded when it was
 * fetched), in the Hugging Face cache (a snapshot's {@code model.safetensors}, whose blob is named by its SHA-256),
 * and in torch.hub's checkpoints (torchvision's files, checked by their name prefix as torch.hub does).
 */
final class CacheLookup {
    static final String BONEXRAY = "bonexray cache";
    static final String HUGGING_FACE = "Hugging Face cache";
    static final String TORCH_HUB = "torch hub cache";

    private final WeightsCaches caches;
    private final WeightsEndpoints endpoints;

    CacheLookup(WeightsCaches caches, WeightsEndpoints endpoints) {
        this.caches = caches;
        this.endpoints = endpoints;
    }

    /** Every cache that may hold the entry, with its state, in the order they are used. */
    List<CacheState> states(PretrainedWeights entry, Optional<ExpectedDigest> userDigest) {
        List<CacheState> found = new ArrayList<>();
        found.add(inBonexray(entry, userDigest));
        found.add(entry.source() == PretrainedWeights.Source.TIMM_HUB ? inHuggingFace(entry, userDigest) : inTorchHub(entry));
        return found;
    }

    /** The first verified copy of the entry. */
    Optional<FetchedWeights> find(PretrainedWeights entry, Optional<ExpectedDigest> userDigest) {
        return states(entry, userDigest).stream().flatMap(f -> f.weights().stream()).findFirst();
    }

    private CacheState inBonexray(PretrainedWeights entry, Optional<ExpectedDigest> userDigest) {
        Path file = caches.bonexray().resolve(entry.fileName());
        if (!Files.isRegularFile(file)) {
            return CacheState.absent(BONEXRAY, file);
        }
        String actual = sha256(file);
        Optional<ExpectedDigest> known = userDigest.or(entry::knownDigest);
        Optional<CacheRecord> record = CacheRecord.read(file);
        if (known.isPresent() && !known.get().matches(actual)) {
            return unusable(BONEXRAY, file, "has SHA-256 " + actual + ", not " + known.get().describe());
        }
        if (record.isPresent() && !record.get().sha256().equals(actual)) {
            return unusable(BONEXRAY, file, "has SHA-256 " + actual + " but was recorded with " + record.get().sha256());
        }
        if (record.isEmpty() && known.isEmpty()) {
            return unusable(BONEXRAY, file, "no digest is known to check it against (bring it in with 'bonexray"
                    + " weights import')");
        }
        String verifiedBy = record.map(r -> r.verifiedBy() + "; SHA-256 checked again")
                .orElseGet(() -> describeKnown(entry, known.get(), userDigest.isPresent()));
        String url = record.map(CacheRecord::url).orElse(entry.url(endpoints).toString());
        String revision = record.map(CacheRecord::revision).orElse(entry.revision().orElse(null));
        return verified(BONEXRAY, new FetchedWeights(entry.catalogueName(), file, url, revision, actual, verifiedBy, BONEXRAY));
    }

    private CacheState inHuggingFace(PretrainedWeights entry, Optional<ExpectedDigest> userDigest) {
        Path repo = caches.huggingFace().resolve("models--" + entry.hubRepository().replace("/", "--"));
        Path snapshots = repo.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return CacheState.absent(HUGGING_FACE, repo);
        }
        CacheState last = CacheState.absent(HUGGING_FACE, repo);
        for (String revision : snapshotOrder(entry, repo)) {
            Path file = snapshots.resolve(revision).resolve(PretrainedWeights.HUB_FILE);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String actual = sha256(file);
            Optional<ExpectedDigest> known = userDigest.or(entry::knownDigest);
            String blob = blobName(file);
            if (known.isPresent() ? known.get().matches(actual) : actual.equals(blob)) {
                String by = known.map(k -> describeKnown(entry, k, userDigest.isPresent()))
                        .orElse("the Hugging Face cache's blob name (the hub's SHA-256 when it was downloaded)");
                return verified(HUGGING_FACE, new FetchedWeights(entry.catalogueName(), file,
                        entry.url(endpoints, revision).toString(), revision, actual, by, HUGGING_FACE));
            }
            last = unusable(HUGGING_FACE, file, "has SHA-256 " + actual + ", which matches "
                    + known.map(ExpectedDigest::describe).orElse("not its blob name " + blob));
        }
        return last;
    }

    private CacheState inTorchHub(PretrainedWeights entry) {
        Path file = caches.torchHub().resolve(entry.fileName());
        if (!Files.isRegularFile(file)) {
            return CacheState.absent(TORCH_HUB, file);
        }
        String actual = sha256(file);
        ExpectedDigest prefix = entry.knownDigest().orElseThrow();
        if (!prefix.matches(actual)) {
            return unusable(TORCH_HUB, file, "has SHA-256 " + actual + ", not " + prefix.describe());
        }
        return verified(TORCH_HUB, new FetchedWeights(entry.catalogueName(), file, entry.url(endpoints).toString(),
                null, actual, describeKnown(entry, prefix, false), TORCH_HUB));
    }

    /** The pinned revision's snapshot first, then the one {@code refs/main} names, then any other. */
    private static List<String> snapshotOrder(PretrainedWeights entry, Path repo) {
        List<String> order = new ArrayList<>();
        entry.revision().ifPresent(order::add);
        try {
            Path main = repo.resolve("refs").resolve("main");
            if (Files.isRegularFile(main) && Files.size(main) < 256) {
                order.add(Files.readString(main).strip());
            }
            try (Stream<Path> all = Files.list(repo.resolve("snapshots"))) {
                all.map(p -> p.getFileName().toString()).sorted().forEach(order::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Hugging Face cache " + repo + ": " + e.getMessage(), e);
        }
        return order.stream().filter(r -> r.matches("[0-9a-f]{40}")).distinct().toList();
    }

    /** The name of the blob a snapshot file links to (the hub cache names blobs by their SHA-256), or "". */
    private static String blobName(Path file) {
        try {
            Path real = file.toRealPath();
            Path parent = real.getParent();
            return parent != null && parent.getFileName().toString().equals("blobs") ? real.getFileName().toString() : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String describeKnown(PretrainedWeights entry, ExpectedDigest digest, boolean fromUser) {
        if (fromUser) {
            return "the SHA-256 given by the user";
        }
        return digest.prefixOnly() ? "torch.hub's file-name check (the SHA-256 starts with " + digest.hex()
                + "; 32 bits, weaker than a full digest)" : "the SHA-256 pinned in bonexray's catalogue for " + entry.catalogueName();
    }

    private static CacheState verified(String location, FetchedWeights weights) {
        return new CacheState(location, weights.file(), "verified (" + weights.verifiedBy() + ")", Optional.of(weights));
    }

    private static CacheState unusable(String location, Path file, String why) {
        return new CacheState(location, file, "present but not used: " + why, Optional.empty());
    }

    private static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
