package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.weights.export.ModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray export}: a trained model as a folder PyTorch loads. */
@Command(name = "export", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Write a trained model as a PyTorch state dict (safetensors) with its preprocessing and head.",
        description = {"OUT gets model.safetensors (float32; the backbone under torchvision's DenseNet keys, the head "
                + "as classifier.N.*, a torch.nn.Sequential), bonexray-export.json (torchvision.models.DenseNet "
                + "arguments, the head's modules, input size, resize, per-channel mean and std, threshold) and a "
                + "README.md with the Python that rebuilds the model in torchvision. OUT is replaced whole.",
                "--check-images also stores bonexray's preprocessed inputs and predict's probabilities for those images, "
                + "so that tools/check_export.py can compare torchvision's outputs with bonexray's.",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 unreadable model."})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run's model/).")
    Path modelDir;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Export folder to write.")
    Path out;

    @Option(names = "--check-images", split = ",", paramLabel = "IMAGE",
            description = "Images to predict and store for checking the export (comma-separated or repeated).")
    List<Path> checkImages = List.of();

    @Override
    public Integer call() {
        ModelExport.Result result;
        try (LoadedModel model = ModelArtifact.load(modelDir)) {
            UsageException.of(() -> model.single("export")); // an ensemble: say which members to export
            result = ModelExport.write(model, out, checkImages);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("Exported %d tensors to %s (%s, %s, README.md)%n", result.keys().size(), out.toAbsolutePath(),
                ModelExport.WEIGHTS, "bonexray-export.json");
        if (!result.checked().isEmpty()) {
            w.printf("Check images: %d predicted into %s; compare with: /usr/bin/python3 tools/check_export.py %s%n",
                    result.checked().size(), ModelExport.CHECK, out);
        }
        result.unreadable().forEach(u -> w.println("Check image left out: " + u));
        w.flush();
        return ExitCodes.OK;
    }
}
