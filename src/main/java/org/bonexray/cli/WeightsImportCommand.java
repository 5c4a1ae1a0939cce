package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.weights.FetchedWeights;
import org.bonexray.model.weights.PretrainedStore;
import org.bonexray.model.weights.PretrainedWeights;
import org.bonexray.model.weights.WeightsException;
import org.bonexray.model.weights.WeightsInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bonexray weights import FILE}: brings a catalogue file from elsewhere into bonexray's cache, verified. */
@Command(name = "import", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Copy a catalogue file you brought (air-gapped machines) into bonexray's cache, verified.",
        description = {"The file must have the entry's pinned SHA-256 (torchvision's files: the hash prefix in their "
                + "names), or the SHA-256 given with --sha256 for entries that pin none (copy it from the hub's page of "
                + "the file). It is also read, safely, and must fit the entry's DenseNet strictly. The entry is taken "
                + "from the file's name (densenet169-b2777c0a.pth, densenet169.tv_in1k.safetensors) unless --as names "
                + "it. Nothing is copied unless everything checks.",
                "Exit codes: 0 ok, 1 not verified or not fitting, 2 bad usage, 3 unreadable file."})
public final class WeightsImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The weights file.")
    Path file;

    @Option(names = "--as", paramLabel = "NAME", description = "Catalogue entry the file is (default: from its name).")
    String as;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "bonexray's weights cache (default: $BONEXRAY_CACHE/weights or ~/.cache/bonexray/weights).")
    Path cache;

    @Option(names = "--sha256", paramLabel = "HEX", description = "SHA-256 you vouch for (required where none is pinned).")
    String sha256;

    @Override
    public Integer call() {
        PretrainedWeights entry = UsageException.of(() -> PretrainedWeights.named(as != null ? as : file.getFileName().toString()));
        WeightsInspection inspection = WeightsInspection.of(file, Optional.of(DenseNetVariant.named(entry.variant())));
        if (!inspection.loadsStrictly()) {
            throw new WeightsException(file + " does not fit " + entry.variant() + ": " + inspection.problem()
                    + "; nothing was imported");
        }
        FetchedWeights imported = PretrainedStore.fromEnvironment(System.err, cache).importFile(file, entry.catalogueName(), sha256);
        print(spec.commandLine().getOut(), imported);
        return ExitCodes.OK;
    }

    /** Prints a verified catalogue file's provenance. */
    static void print(PrintWriter out, FetchedWeights w) {
        out.printf("%s: %s (%s)%n  url:      %s%n  revision: %s%n  sha256:   %s%n  verified: %s%n", w.entry(), w.file(),
                w.location(), w.url(), w.revision() == null ? "-" : w.revision(), w.sha256(), w.verifiedBy());
        out.flush();
    }
}
