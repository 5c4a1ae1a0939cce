package org.bonexray.model.weights;

import ai.djl.Model;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.bonexray.io.Sha256;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelSpec;
import org.bonexray.model.NamedSequentialBlock;
import org.bonexray.model.weights.format.StateDict;

/**
 * What a weight file is and how it would load ({@code weights inspect}, and the check before {@code weights
 * import}): format, tensors, checksum and catalogue match, how its keys map to torchvision's, and what a backbone
 * import into the DenseNet it fits would load, miss or leave unused.
 *
 * @param file the file
 * @param format its format
 * @param sha256 its SHA-256
 * @param catalogueMatch the catalogue entry whose digest it has, or null
 * @param tensors tensors in the file's state dict
 * @param elements their elements
 * @param dtypes tensors per element type
 * @param moduleClass the class of a whole pickled module, or null
 * @param mapping how the keys were found and mapped
 * @param variant the DenseNet whose backbone keys the file has (auto-detected unless given), or null
 * @param loaded backbone tensors a strict import would load
 * @param missing backbone keys the file lacks
 * @param unexpected file keys the backbone does not have (classifier and counters aside)
 * @param problem why a strict backbone import would fail (shapes, keys), or null when it would succeed
 * @param expectedNormalization the input scaling the weights expect
 */
public record WeightsInspection(Path file, String format, String sha256, String catalogueMatch, int tensors,
                                long elements, Map<String, Long> dtypes, String moduleClass, List<String> mapping,
                                String variant, int loaded, List<String> missing, List<String> unexpected,
                                String problem, String expectedNormalization) {
    private static final List<DenseNetVariant> VARIANTS = List.of(DenseNetVariant.DENSENET121,
            DenseNetVariant.DENSENET169, DenseNetVariant.DENSENET201, DenseNetVariant.SMALL, DenseNetVariant.TINY);

    /** Inspects a file against {@code variant}, or the variant whose backbone keys it has. */
    public static WeightsInspection of(Path file, Optional<DenseNetVariant> variant) {
        StateDict raw = WeightsFiles.read(file);
        StateDict mapped = KeyMapping.toTorchvision(raw);
        Optional<DenseNetVariant> fit = variant.or(() -> detect(mapped.tensors().keySet()));
        String sha = sha256(file);
        Map<String, Long> dtypes = raw.tensors().values().stream()
                .collect(Collectors.groupingBy(t -> t.dtype().name(), TreeMap::new, Collectors.counting()));
        String normalization = PretrainedSource.isTorchXrayVision(raw.moduleClass()) ? "XRAY" : "IMAGENET";
        if (fit.isEmpty()) {
            return new WeightsInspection(file, raw.format().description(), sha, catalogueMatch(file, sha),
                    raw.tensors().size(), raw.elementCount(), dtypes, raw.moduleClass().orElse(null), mapped.notes(),
                    null, 0, List.of(), List.of(), "the keys fit none of densenet121/169/201, small or tiny"
                    + " (pass --backbone to compare with one)", normalization);
        }
        ImportReport report;
        String problem = null;
        try (Model model = Model.newInstance("inspect")) {
            AbnormalityNet net = AbnormalityNet.build(new ModelSpec(fit.get(), HeadSpec.linear(), Initialization.HE, 0, 64));
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            try {
                report = WeightsImporter.backbone().nonStrict().load(net, file, mapped);
                if (!report.complete()) {
                    problem = "a strict import would fail: " + report.missing().size() + " keys missing, "
                            + report.unexpected().size() + " unexpected";
                }
            } catch (WeightsException e) {
                report = new ImportReport(List.of(), List.of(), List.of(), List.of(), mapped.notes());
                problem = e.getMessage();
            }
        }
        return new WeightsInspection(file, raw.format().description(), sha, catalogueMatch(file, sha),
                raw.tensors().size(), raw.elementCount(), dtypes, raw.moduleClass().orElse(null), mapped.notes(),
                fit.get().name(), report.loaded().size(), report.missing(), report.unexpected(), problem, normalization);
    }

    /** The variant whose backbone keys the file has, all of them; none when no variant's are all there. */
    static Optional<DenseNetVariant> detect(Set<String> keys) {
        for (DenseNetVariant v : VARIANTS) {
            Block features = new NamedSequentialBlock().add("features", DenseNet.features(v));
            Set<String> expected = TorchvisionNames.parametersByKey(features).keySet().stream()
                    .filter(k -> k.startsWith("features.")).collect(Collectors.toSet());
            if (keys.containsAll(expected) && keys.stream().filter(k -> k.startsWith("features.")
                    && !TorchvisionNames.isIgnored(k)).allMatch(expected::contains)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private static String catalogueMatch(Path file, String sha) {
        for (PretrainedWeights w : PretrainedWeights.values()) {
            boolean pinned = w.sha256().filter(sha::equals).isPresent();
            boolean named = w.source() == PretrainedWeights.Source.TORCHVISION
                    && file.getFileName().toString().equals(w.fileName()) && w.knownDigest().orElseThrow().matches(sha);
            if (pinned || named) {
                return w.catalogueName() + (pinned ? " (its pinned SHA-256)" : " (torch.hub's file-name check)");
            }
        }
        return null;
    }

    /** Whether a strict backbone import of this file into its variant would succeed. */
    public boolean loadsStrictly() {
        return variant != null && problem == null;
    }

    private static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
