package org.bonexray.model.weights;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Sha256;

/**
 * The catalogue's files on this machine: found in a cache when a verified copy exists, otherwise downloaded at a
 * pinned (or recorded) revision and verified, or imported from a file the user brought (air-gapped machines).
 * Fails closed: with no digest pinned, published by the hub or given by the user, nothing is downloaded or used.
 */
public final class PretrainedStore {
    private final WeightsDownloader downloader;
    private final WeightsEndpoints endpoints;
    private final CacheLookup lookup;

    public PretrainedStore(WeightsDownloader downloader, WeightsCaches caches, WeightsEndpoints endpoints) {
        this.downloader = downloader;
        this.endpoints = endpoints;
        this.lookup = new CacheLookup(caches, endpoints);
    }

    /** The store of this machine's environment (cache folders, offline switch, endpoints). */
    public static PretrainedStore fromEnvironment(PrintStream progress) {
        return fromEnvironment(progress, null);
    }

    /** As {@link #fromEnvironment(PrintStream)}, with bonexray's cache in {@code cacheDir} unless it is null. */
    public static PretrainedStore fromEnvironment(PrintStream progress, Path cacheDir) {
        Map<String, String> env = System.getenv();
        WeightsDownloader downloader = WeightsDownloader.fromEnvironment(cacheDir, progress);
        return new PretrainedStore(downloader, WeightsCaches.fromEnvironment(env,
                Path.of(System.getProperty("user.home")), downloader.cacheDir()), WeightsEndpoints.fromEnvironment(env));
    }

    public WeightsDownloader downloader() {
        return downloader;
    }

    /** Each cache's state for an entry ({@code weights list}). */
    public List<CacheState> states(PretrainedWeights entry) {
        return lookup.states(entry, Optional.empty());
    }

    /**
     * ImageNet weights for a variant, found before fetched: timm's file in bonexray's or the Hugging Face cache,
     * torchvision's in bonexray's or torch.hub's cache, else timm's file downloaded.
     *
     * @param userSha256 a SHA-256 the user vouches for timm's file, or null
     */
    public FetchedWeights imagenet(String variant, String userSha256) {
        PretrainedWeights timm = PretrainedWeights.forVariant(variant);
        Optional<ExpectedDigest> user = userDigest(timm, userSha256);
        return lookup.find(timm, user).or(() -> lookup.find(timm.torchvisionTwin(), Optional.empty()))
                .orElseGet(() -> download(timm, user));
    }

    /** A catalogue entry, from a cache or downloaded ({@code weights fetch}). */
    public FetchedWeights fetch(PretrainedWeights entry, String userSha256) {
        Optional<ExpectedDigest> user = userDigest(entry, userSha256);
        return lookup.find(entry, user).orElseGet(() -> download(entry, user));
    }

    private Optional<ExpectedDigest> userDigest(PretrainedWeights entry, String userSha256) {
        if (userSha256 == null || userSha256.isBlank()) {
            return Optional.empty();
        }
        ExpectedDigest user = ExpectedDigest.full(userSha256);
        entry.sha256().filter(pinned -> !pinned.equals(user.hex())).ifPresent(pinned -> {
            throw new WeightsException("the SHA-256 " + user.hex() + " you gave differs from the one pinned for "
                    + entry.catalogueName() + " (" + pinned + "); drop it, or pass --pretrained FILE to use another file");
        });
        return Optional.of(user);
    }

    private FetchedWeights download(PretrainedWeights entry, Optional<ExpectedDigest> user) {
        Path target = downloader.cachedPath(entry.fileName());
        try {
            FetchedWeights fetched = entry.source() == PretrainedWeights.Source.TIMM_HUB ? fromHub(entry, user)
                    : fromTorchvision(entry);
            CacheRecord.write(fetched);
            return fetched;
        } catch (RuntimeException e) {
            // a refused file was deleted: its record must not outlive it
            if (!Files.exists(target)) {
                deleteQuietly(CacheRecord.pathFor(target), e);
            }
            throw e;
        }
    }

    private static void deleteQuietly(Path file, RuntimeException failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private FetchedWeights fromTorchvision(PretrainedWeights entry) {
        ExpectedDigest prefix = entry.knownDigest().orElseThrow();
        String url = entry.url(endpoints).toString();
        Path file = downloader.fetch(entry.url(endpoints), entry.fileName(), prefix);
        return new FetchedWeights(entry.catalogueName(), file, url, null, sha256(file),
                CacheLookup.describeKnown(entry, prefix, false), "downloaded");
    }

    /** Asks the hub for the revision and digest (HEAD, redirect not followed), then downloads at that commit. */
    private FetchedWeights fromHub(PretrainedWeights entry, Optional<ExpectedDigest> user) {
        String asked = entry.revision().orElse("main");
        if (downloader.offline()) {
            throw new WeightsException("pretrained weights " + entry.catalogueName() + " are in no cache ("
                    + downloader.cachedPath(entry.fileName()) + ", the Hugging Face and torch hub caches) and bonexray is"
                    + " offline (" + WeightsDownloader.OFFLINE_ENV + " is true). Download " + entry.url(endpoints)
                    + " on a connected machine ('bonexray weights fetch " + entry.catalogueName() + "' there) and bring"
                    + " it in with 'bonexray weights import FILE --as " + entry.catalogueName() + "', or pass"
                    + " --pretrained FILE with a local weights file");
        }
        HubMetadata hub = HubMetadata.of(downloader.head(entry.url(endpoints, asked)));
        String revision = entry.revision().orElse(hub.commit());
        if (revision == null) {
            throw new WeightsException("the hub did not name the commit of " + entry.hubRepository() + "@main"
                    + " (no X-Repo-Commit header), so the download cannot be pinned; nothing was downloaded");
        }
        if (hub.commit() != null && !hub.commit().equals(revision)) {
            throw new WeightsException("asked for " + entry.hubRepository() + " at " + revision + ", the hub answered"
                    + " for commit " + hub.commit() + "; nothing was downloaded");
        }
        Optional<ExpectedDigest> pinned = user.or(entry::knownDigest);
        checkDigests(entry, pinned, hub, revision);
        ExpectedDigest expected = pinned.orElseGet(() -> ExpectedDigest.full(hub.sha256())).withSize(hub.size());
        String verifiedBy = pinned.isPresent()
                ? CacheLookup.describeKnown(entry, pinned.get(), user.isPresent()) + (hub.sha256() != null
                        ? ", which the hub publishes too" : "")
                : "the SHA-256 the hub publishes for the file (X-Linked-Etag) at revision " + revision;
        var url = entry.url(endpoints, revision);
        Path file = downloader.fetch(url, entry.fileName(), expected);
        return new FetchedWeights(entry.catalogueName(), file, url.toString(), revision, expected.hex(), verifiedBy,
                "downloaded");
    }

    /** Fails closed: a pinned (or given) digest the hub contradicts, or no digest from anyone. */
    private static void checkDigests(PretrainedWeights entry, Optional<ExpectedDigest> pinned, HubMetadata hub,
                                     String revision) {
        if (pinned.isPresent() && hub.sha256() != null && !pinned.get().matches(hub.sha256())) {
            throw new WeightsException("the hub publishes SHA-256 " + hub.sha256() + " for " + entry.hubRepository()
                    + "@" + revision + "/" + PretrainedWeights.HUB_FILE + " but " + pinned.get().describe()
                    + " is expected; nothing was downloaded (the file changed, or the wrong repository?)");
        }
        if (pinned.isEmpty() && hub.sha256() == null) {
            throw new WeightsException("the hub publishes no SHA-256 for " + entry.hubRepository() + "@" + revision
                    + "/" + PretrainedWeights.HUB_FILE + " (no X-Linked-Etag) and bonexray pins none, so it will not"
                    + " download it unverified; nothing was downloaded. Pass --pretrained-sha256 HEX if you know the"
                    + " digest, or use torchvision's file: 'bonexray weights fetch " + entry.torchvisionTwin().catalogueName() + "'");
        }
    }

    /**
     * Copies a file the user brought into bonexray's cache, verified: against the digest pinned for the entry
     * (torchvision's name prefix for its files), or the SHA-256 the user vouches for; the entry is found from the
     * file's name when not given. Nothing is left in the cache unless the file verifies.
     *
     * @param entryName the catalogue entry, or null to find it from the file's name
     * @param userSha256 the SHA-256 the user vouches for (required for entries without a pinned digest), or null
     */
    public FetchedWeights importFile(Path file, String entryName, String userSha256) {
        PretrainedWeights entry = entryName != null ? PretrainedWeights.named(entryName) : entryFromName(file);
        Optional<ExpectedDigest> expected = userDigest(entry, userSha256).or(entry::knownDigest);
        if (expected.isEmpty()) {
            throw new WeightsException("bonexray pins no SHA-256 for " + entry.catalogueName() + "; pass --sha256 with"
                    + " the digest the hub shows for " + entry.hubRepository() + "/" + PretrainedWeights.HUB_FILE
                    + " (its Git LFS SHA-256) so the file can be verified; nothing was imported");
        }
        String actual = sha256(file);
        if (!expected.get().matches(actual)) {
            throw new WeightsException(file + " has SHA-256 " + actual + " but " + expected.get().describe()
                    + " is expected for " + entry.catalogueName() + "; nothing was imported");
        }
        Path target = downloader.cachedPath(entry.fileName());
        AtomicFiles.write(target, out -> Files.copy(file, out));
        FetchedWeights imported = new FetchedWeights(entry.catalogueName(), target, entry.url(endpoints).toString(),
                entry.revision().orElse(null), actual, CacheLookup.describeKnown(entry, expected.get(), userSha256 != null)
                + " (imported from " + file.toAbsolutePath() + ")", "imported");
        CacheRecord.write(imported);
        return imported;
    }

    private static PretrainedWeights entryFromName(Path file) {
        String name = file.getFileName().toString();
        try {
            return PretrainedWeights.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot tell which catalogue entry " + name + " is from its name;"
                    + " pass --as NAME (see 'bonexray weights list')", e);
        }
    }

    private static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
