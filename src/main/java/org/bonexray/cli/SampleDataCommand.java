package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Split;
import org.bonexray.data.sample.SampleManifest;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.io.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray sample-data}: writes the synthetic MURA-format sample the demo and tests train on. */
@Command(
        name = "sample-data",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        header = "Generate a synthetic MURA-format sample dataset.",
        description = {
            "Writes DIR/MURA-v1.1 exactly like MURA v1.1 (train/valid trees, image and labeled-study CSVs) with "
                    + "radiograph-like images of all 7 body parts; abnormal studies show fractures, metal hardware "
                    + "or lesions, whose boxes go to findings.csv. sample_manifest.json holds the counts.",
            "The same seed always gives byte-identical files. The tree appears only when complete."
        })
public final class SampleDataCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "data/sample",
            description = "Folder to write MURA-v1.1 into.")
    private Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + SampleSpec.DEFAULT_SEED,
            description = "Random seed; one seed gives byte-identical files.")
    private long seed;

    @Option(names = "--train-studies-per-part", paramLabel = "N",
            defaultValue = "" + SampleSpec.DEFAULT_TRAIN_STUDIES, description = "Train studies per body part.")
    private int trainStudies;

    @Option(names = "--valid-studies-per-part", paramLabel = "N",
            defaultValue = "" + SampleSpec.DEFAULT_VALID_STUDIES, description = "Valid studies per body part.")
    private int validStudies;

    @Option(names = "--min-side", paramLabel = "PX", defaultValue = "" + SampleSpec.DEFAULT_MIN_SIDE,
            description = "Smallest image side in pixels.")
    private int minSide;

    @Option(names = "--max-side", paramLabel = "PX", defaultValue = "" + SampleSpec.DEFAULT_MAX_SIDE,
            description = "Largest image side in pixels.")
    private int maxSide;

    @Option(names = "--abnormal-fraction", paramLabel = "F",
            defaultValue = "" + SampleSpec.DEFAULT_ABNORMAL_FRACTION,
            description = "Share of abnormal studies per split and body part.")
    private double abnormalFraction;

    @Option(names = "--force", description = "Replace an existing DIR/MURA-v1.1.")
    private boolean force;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path target = SyntheticMuraGenerator.datasetDir(out);
        if (Files.exists(target) && !force) {
            err.println("bonexray: " + target + " already exists; pass --force to replace it");
            return ExitCodes.USAGE;
        }
        SampleSpec sample = UsageException.of(() ->
                new SampleSpec(seed, trainStudies, validStudies, minSide, maxSide, abnormalFraction));
        Progress progress = new Progress(System.err, "sample-data", SyntheticMuraGenerator.imageCount(sample), "img");
        SampleManifest manifest = SyntheticMuraGenerator.generate(out, sample, progress, true, 2);
        print(spec.commandLine().getOut(), target, manifest);
        return ExitCodes.OK;
    }

    private static void print(PrintWriter w, Path target, SampleManifest m) {
        SampleManifest.Counts t = m.total();
        w.printf(Locale.ROOT, "Wrote %d images of %d studies (%d abnormal, %d normal), %d patients, %d findings to %s%n",
                t.images(), t.studies(), t.abnormalStudies(), t.normalStudies(), t.patients(), m.findings(), target);
        w.printf(Locale.ROOT, "%-12s %-6s %8s %8s %8s %8s%n", "body part", "split", "studies", "abnormal", "images",
                "patients");
        for (Split split : Split.values()) {
            for (BodyPart part : BodyPart.values()) {
                SampleManifest.Counts c = m.countsOf(split, part);
                w.printf(Locale.ROOT, "%-12s %-6s %8d %8d %8d %8d%n", part.folderName(), split.folderName(),
                        c.studies(), c.abnormalStudies(), c.images(), c.patients());
            }
        }
        w.println("Next: bonexray dataset stats --data " + target);
        w.flush();
    }
}
