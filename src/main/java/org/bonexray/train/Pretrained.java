package org.bonexray.train;

import java.io.PrintStream;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.weights.ImportReport;
import org.bonexray.model.weights.PretrainedSource;
import org.bonexray.model.weights.WeightsDownloader;
import org.bonexray.model.weights.WeightsImporter;

/** Loads pretrained backbone weights into a freshly initialised network, as the configuration asks. */
final class Pretrained {
    private Pretrained() {
    }

    /**
     * Loads the backbone named by {@code config.pretrained()} ({@code imagenet}: the catalogue's verified
     * download, cached; otherwise a local safetensors/npz file) strictly: every backbone key must be present.
     * The head keeps its initialisation.
     *
     * @return what was loaded, for the manifest; {@code none} when nothing was asked for
     */
    static String load(TrainConfig config, AbnormalityNet net, String userSha256, PrintStream out) {
        if (config.pretrained().equals("none")) {
            return "none";
        }
        PretrainedSource source = PretrainedSource.resolve(config.pretrained(), config.model().variant().name(),
                userSha256, WeightsDownloader.fromEnvironment(null, out));
        ImportReport report = WeightsImporter.backbone().load(net, source.file());
        out.println("Pretrained backbone: " + source.file() + " (" + report.summary() + ")");
        return source.file().toAbsolutePath().toString();
    }
}
