package org.bonexray.cli;

import java.nio.file.Path;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.pacs.ScoringSession;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.runtime.Precision;
import ai.djl.Device;
import org.bonexray.runtime.EngineFacts;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The model side of the {@code pacs} commands that score (a picocli mixin). */
public final class PacsModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run's model/).")
    Path modelDir;

    @Option(names = "--threshold", description = "Decision threshold (default: the model's own, normally 0.5).")
    Double threshold;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = "Arithmetic inside the network: auto (bf16 where the device has bf16 units, else fp32), "
                    + "fp32 or bf16.")
    String precision;

    @Mixin
    DeviceOption device;

    @Option(names = "--aggregation", defaultValue = "mean", paramLabel = "mean|max",
            description = "A study's probability from its views': mean (MURA's rule) or max.")
    String aggregation;

    @Mixin
    TtaOption tta;

    @Option(names = "--max-images", defaultValue = "32",
            description = "Most image instances in a study; a bigger one (not a radiograph study) is skipped.")
    int maxImages;

    /** Loads the model and wires it to the PACS. */
    ScoringSession open(DicomWebClient client) {
        if (maxImages < 1) {
            throw new UsageException("--max-images must be at least 1");
        }
        Device[] devices = device.resolve();
        Precision asked = UsageException.of(() -> Precision.parse(precision));
        System.err.println(EngineFacts.startLine(devices, asked));
        return ScoringSession.open(modelDir, devices[0], threshold, asked,
                UsageException.of(() -> StudyAggregation.parse(aggregation)), tta.resolve(),
                client, maxImages);
    }
}
