package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bonexray.io.Json;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.weights.ImportReport;
import org.bonexray.model.weights.WeightsInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bonexray weights inspect FILE}: what a weight file is and how it would load. */
@Command(name = "inspect", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Describe a weights file: format, tensors, checksum, key mapping, fit to a DenseNet.",
        description = {"Reads safetensors, npz and PyTorch checkpoints (.pth/.pt/.bin/.ckpt, zip or legacy, state dicts, "
                + "nested training checkpoints, whole pickled modules) without running any of their code: a pickle "
                + "naming anything but tensors, containers and known module classes is refused by name. Prints the "
                + "format, tensor and element counts, element types, SHA-256 (and the catalogue entry it matches), how "
                + "the keys were mapped to torchvision's, and what a backbone import would load, miss or not use.",
                "Exit codes: 0 the file fits its DenseNet strictly, 1 it does not, 2 bad usage, 3 unreadable or refused."})
public final class WeightsInspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The weights file.")
    Path file;

    @Option(names = "--backbone", paramLabel = "NAME",
            description = "Compare with this DenseNet (densenet121/169/201, small, tiny) instead of the one detected.")
    String backbone;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        WeightsInspection i = WeightsInspection.of(file, Optional.ofNullable(backbone).map(DenseNetVariant::named));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(i));
        } else {
            out.printf("%s%n  format:    %s%n  tensors:   %,d (%,d elements; %s)%n  sha256:    %s%s%n", i.file(), i.format(),
                    i.tensors(), i.elements(), i.dtypes(), i.sha256(),
                    i.catalogueMatch() == null ? "" : "\n  catalogue: " + i.catalogueMatch());
            if (i.moduleClass() != null) {
                out.println("  module:    " + i.moduleClass() + " (a whole pickled module, read as data)");
            }
            i.mapping().forEach(note -> out.println("  mapping:   " + note));
            out.printf("  fits:      %s%n  loaded:    %d backbone tensors%n  missing:   %s%n  unexpected: %s%n"
                            + "  expects:   %s input scaling%n", i.variant() == null ? "-" : i.variant(), i.loaded(),
                    ImportReport.abbreviate(i.missing()), ImportReport.abbreviate(i.unexpected()), i.expectedNormalization());
            out.println(i.loadsStrictly() ? "  result:    loads strictly" : "  result:    " + i.problem());
        }
        out.flush();
        return i.loadsStrictly() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
