package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bonexray.model.Ensembles;
import org.bonexray.model.ModelArtifact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray ensemble}: one model from several trained ones, predicting the mean of their probabilities. */
@Command(name = "ensemble", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Combine trained models of the same preprocessing into one ensemble model.",
        description = {"OUT is a model folder like any other: evaluate, predict, serve, pacs, explain and score use it "
                + "as they use one network. An image's probability is the mean of the members' probabilities (each "
                + "the mean over the test-time views), then the ensemble's temperature; a study's is the study rule "
                + "over its views, and every answer also gives the members' spread on the study (standard deviation, "
                + "lowest and highest member).",
                "Members must share input size, resize and normalisation (their architectures and heads may differ). "
                + "Their files are linked (or copied) into OUT/members/NN unchanged; OUT/manifest.json records where "
                + "each came from and its id.",
                "The threshold is the mean of the members' thresholds unless --threshold is given; the temperature is 1. "
                + "Choose both on the ensemble itself: evaluate --model OUT --calibrate --save-threshold.",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 unreadable or mismatched model."})
public final class EnsembleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models", required = true, arity = "1..*", split = ",", paramLabel = "DIR",
            description = "Model directories to combine (a run's model/), in order.")
    List<Path> models;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Ensemble folder to create (must not exist).")
    Path out;

    @Option(names = "--threshold", paramLabel = "P",
            description = "Study decision threshold of the ensemble (default: the mean of the members' thresholds).")
    Double threshold;

    @Override
    public Integer call() {
        List<Path> dirs = models.stream().map(EnsembleCommand::modelFolder).toList();
        List<Ensembles.MemberRecord> members = UsageException.of(() -> Ensembles.combine(dirs, out, threshold));
        PrintWriter w = spec.commandLine().getOut();
        w.printf("Wrote an ensemble of %d members to %s (id %s, threshold %.4f)%n", members.size(), out.toAbsolutePath(),
                ModelArtifact.id(out), ModelArtifact.readDescription(out).threshold());
        for (Ensembles.MemberRecord m : members) {
            w.printf("  %s  %s  (from %s)%n", m.folder(), m.id(), m.source());
        }
        w.flush();
        return ExitCodes.OK;
    }

    /** A run folder names its model: accept {@code runs/x} for {@code runs/x/model}. */
    private static Path modelFolder(Path given) {
        Path inner = given.resolve("model");
        return !Files.isRegularFile(given.resolve("model.json"))
                && Files.isRegularFile(inner.resolve("model.json")) ? inner : given;
    }
}
