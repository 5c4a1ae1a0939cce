package org.bonexray.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.bonexray.io.Sha256;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.weights.ImportReport;
import org.bonexray.model.weights.KeyMapping;
import org.bonexray.model.weights.PretrainedProvenance;
import org.bonexray.model.weights.PretrainedSource;
import org.bonexray.model.weights.PretrainedStore;
import org.bonexray.model.weights.WeightsFiles;
import org.bonexray.model.weights.WeightsImporter;
import org.bonexray.model.weights.format.StateDict;

/** Loads pretrained backbone weights into a freshly initialised network, as the configuration asks. */
final class Pretrained {
    private Pretrained() {
    }

    /**
     * Loads the backbone named by {@code config.pretrained()} ({@code imagenet}: the catalogue's verified file, from
     * a cache or downloaded; otherwise a local weights file of any format bonexray reads) strictly: every backbone
     * key must be present. The head keeps its initialisation.
     *
     * @return where the weights came from and how they were read, for the manifest; null when nothing was asked for
     */
    static PretrainedProvenance load(TrainConfig config, AbnormalityNet net, String userSha256, PrintStream out) {
        if (config.pretrained().equals(PretrainedSource.NONE)) {
            return null;
        }
        PretrainedSource source = PretrainedSource.resolve(config.pretrained(), config.model().variant().name(),
                userSha256, PretrainedStore.fromEnvironment(out));
        StateDict raw = WeightsFiles.read(source.file());
        ImportReport report = WeightsImporter.backbone().load(net, source.file(), KeyMapping.toTorchvision(raw));
        PretrainedProvenance provenance = PretrainedProvenance.of(source, sha256(source), raw, report);
        out.println("Pretrained backbone: " + source.file() + " (" + report.summary() + ")");
        source.catalogue().ifPresent(c -> out.println("  " + c.entry() + " from the " + c.location() + ", revision "
                + (c.revision() == null ? "-" : c.revision()) + ", verified by " + c.verifiedBy()));
        report.notes().forEach(note -> out.println("  " + note));
        String used = config.preprocessing().normalization().name();
        if (!used.equals(provenance.expectedNormalization())) {
            out.println("  Note: these weights expect " + provenance.expectedNormalization() + " input scaling; this run"
                    + " uses " + used + " (--normalize " + provenance.expectedNormalization().toLowerCase(java.util.Locale.ROOT)
                    + " matches them)");
        }
        return provenance;
    }

    private static String sha256(PretrainedSource source) {
        if (source.catalogue().isPresent()) {
            return source.catalogue().get().sha256();
        }
        try {
            return Sha256.of(source.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.file() + ": " + e.getMessage(), e);
        }
    }
}
