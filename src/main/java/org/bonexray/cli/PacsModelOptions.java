package org.bonexray.cli;

import java.nio.file.Path;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.pacs.ScoringSession;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.runtime.Precision;
import picocli.CommandLine.Option;

/** The model side of the {@code pacs} commands that score (a picocli mixin). */
public final class PacsModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run's model/).")
    Path modelDir;

    @Option(names = "--threshold", description = "Decision threshold (default: the model's own, normally 0.5).")
    Double threshold;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "Arithmetic inside the network: fp32, or bf16 (faster on CPUs with bf16 units).")
    String precision;

    @Option(names = "--aggregation", defaultValue = "mean", paramLabel = "mean|max",
            description = "A study's probability from its views': mean (MURA's rule) or max.")
    String aggregation;

    @Option(names = "--max-images", defaultValue = "32",
            description = "Most image instances in a study; a bigger one (not a radiograph study) is skipped.")
    int maxImages;

    /** Loads the model and wires it to the PACS. */
    ScoringSession open(DicomWebClient client) {
        if (maxImages < 1) {
            throw new UsageException("--max-images must be at least 1");
        }
        return ScoringSession.open(modelDir, threshold, UsageException.of(() -> Precision.parse(precision)),
                UsageException.of(() -> StudyAggregation.parse(aggregation)),
                client, maxImages);
    }
}
