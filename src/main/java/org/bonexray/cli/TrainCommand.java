package org.bonexray.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.ValidationFold;
import org.bonexray.io.Json;
import org.bonexray.model.Ensembles;
import org.bonexray.model.ModelArtifact;
import org.bonexray.io.StopSignal;
import org.bonexray.report.ReportWriter;
import org.bonexray.train.TrainConfig;
import org.bonexray.train.TrainDefaults;
import org.bonexray.train.TrainingResult;
import org.bonexray.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray train}: fine-tune a DenseNet on a MURA-format dataset. */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Train an abnormality classifier on a MURA-format dataset.",
        description = {
            "Trains on the train split, holding out a patient-level validation split to keep the best epoch. "
                    + "Writes a run directory: manifest.json, history.csv/json, checkpoints/, model/.",
            "Settings come from the defaults (the paper's DenseNet-169 setup), then --config FILE (YAML or JSON, "
                    + "any subset of the keys of manifest.json's \"config\"), then the options below.",
            "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 bad data."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    TrainOptions options;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (default: runs/train-<date-time>).")
    Path runDir;

    @Option(names = "--resume", description = "Continue the run in --run-dir from its last checkpoint.")
    boolean resume;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "standard",
            description = "Starting configuration: standard (DenseNet-169, 224 px, batch 64), demo (tiny network, 64 px) "
                    + "or small-data (standard with AdamW, warm-up + cosine, crops, intensity jitter, label smoothing, "
                    + "EMA: docs/ACCURACY.md).")
    String preset;

    @Option(names = "--report", description = "Write RUN_DIR/report/index.html (charts, metrics, provenance) when done.")
    boolean report;

    @Option(names = "--print-config", description = "Print the resolved configuration as JSON and exit.")
    boolean printConfig;

    @Option(names = "--ensemble", paramLabel = "N", defaultValue = "1",
            description = "Train N networks into RUN_DIR/members/NN and combine them into RUN_DIR/model, an ensemble "
                    + "(see bonexray ensemble); how they differ is --ensemble-split's. A rerun with --resume skips the "
                    + "members already trained.")
    int ensemble;

    /** How the members of {@code --ensemble N} differ. */
    enum EnsembleSplit { seeds, folds }

    @Option(names = "--ensemble-split", paramLabel = "HOW", defaultValue = "seeds",
            description = "seeds: the members differ in their initialisation seed (the model seed, +1 each) and share "
                    + "one patient split, so the ensemble can be calibrated on their common validation patients. "
                    + "folds: the training patients are dealt into N folds (stratified by body part and label) and "
                    + "member i holds out fold i (replacing --val-fraction), so each trains on other patients and "
                    + "every patient validates one member; the ensemble then has no held-out patients of its own.")
    EnsembleSplit ensembleSplit;

    @Override
    public Integer call() throws Exception {
        StopSignal.install(); // SIGINT/SIGTERM stop at the next safe point (exit 130/143), not mid-step
        TrainConfig config = options.resolve(TrainDefaults.preset(preset));
        var out = spec.commandLine().getOut();
        if (printConfig) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            return ExitCodes.OK;
        }
        if (resume && runDir == null) {
            throw new UsageException("--resume needs --run-dir");
        }
        if (ensemble < 1) {
            throw new UsageException("--ensemble takes a number of members >= 1, got " + ensemble);
        }
        if (ensembleSplit == EnsembleSplit.folds && ensemble < 2) {
            throw new UsageException("--ensemble-split folds needs --ensemble N with N >= 2");
        }
        if (ensemble > 1 && report) {
            throw new UsageException("--report covers one run; with --ensemble, run bonexray report on a member's "
                    + "folder (RUN_DIR/members/NN)");
        }
        options.device.resolve(); // a GPU the engine cannot see is refused before the data is read
        Path dir = runDir != null ? runDir : defaultRunDir("train");
        MuraIndex index = data.load(spec.commandLine().getErr());
        out.println("Run directory: " + dir.toAbsolutePath());
        if (ensemble > 1) {
            return trainEnsemble(config, index, dir);
        }
        // progress and per-epoch lines go to stderr, results to stdout, so that stdout stays parseable
        TrainingResult result = options.applyRuntimeOptions(new TrainingRun(config, index, dir, options.threads(), System.err))
                .withPretrainedSha256(options.pretrainedSha256()).run(resume);
        out.printf("Done: best epoch %d (val study accuracy %.3f, kappa %.3f). Model: %s%n", result.bestEpoch(),
                result.best().validationAccuracy(), result.best().validationKappa(), result.modelDir());
        if (report) {
            out.println("Report: " + ReportWriter.writeRunReport(dir, System.err));
        }
        out.println("Next: bonexray evaluate --model " + result.modelDir() + " --data " + data.data);
        return ExitCodes.OK;
    }


    /** Trains the members one after another (a finished member is kept on a rerun), then combines them. */
    private int trainEnsemble(TrainConfig config, MuraIndex index, Path dir) {
        var out = spec.commandLine().getOut();
        List<Path> models = new ArrayList<>();
        for (int i = 0; i < ensemble; i++) {
            Path member = dir.resolve(Ensembles.memberFolder(i));
            TrainConfig memberConfig = ensembleSplit == EnsembleSplit.folds
                    ? config.withValidationFold(new ValidationFold(ensemble, i))
                    : config.withModelSeed(config.model().seed() + i);
            String how = ensembleSplit == EnsembleSplit.folds ? "validation fold " + i
                    : "model seed " + memberConfig.model().seed();
            if (finished(member)) {
                out.printf("Ensemble member %d/%d (%s): already trained in %s%n", i + 1, ensemble, how, member);
            } else {
                out.printf("Ensemble member %d/%d (%s): %s%n", i + 1, ensemble, how, member);
                TrainingResult result = options.applyRuntimeOptions(new TrainingRun(memberConfig, index,
                        member, options.threads(), System.err)).withPretrainedSha256(options.pretrainedSha256())
                        .run(resume || Files.isDirectory(member));
                out.printf("Member %d/%d done: best epoch %d (val study accuracy %.3f, kappa %.3f)%n", i + 1, ensemble,
                        result.bestEpoch(), result.best().validationAccuracy(), result.best().validationKappa());
            }
            models.add(member.resolve("model"));
        }
        Path model = dir.resolve("model");
        Ensembles.rebuild(models, model, null);
        out.printf("Done: an ensemble of %d members (id %s). Model: %s%n", ensemble, ModelArtifact.id(model), model);
        out.println("Next: bonexray evaluate --model " + model + " --data " + data.data);
        return ExitCodes.OK;
    }

    /** Whether a member's run finished: its manifest says when, and its model is saved. */
    private static boolean finished(Path member) {
        Path manifest = member.resolve("manifest.json");
        try {
            return Files.isRegularFile(member.resolve("model").resolve("model.json")) && Files.isRegularFile(manifest)
                    && Json.MAPPER.readTree(manifest.toFile()).hasNonNull("finishedAt");
        } catch (IOException e) {
            return false; // unreadable: train it again (resuming from its checkpoint)
        }
    }

    static Path defaultRunDir(String kind) {
        return Path.of("runs", kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
