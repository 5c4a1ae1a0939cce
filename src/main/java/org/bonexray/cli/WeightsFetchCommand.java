package org.bonexray.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bonexray.model.weights.FetchedWeights;
import org.bonexray.model.weights.PretrainedStore;
import org.bonexray.model.weights.PretrainedWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bonexray weights fetch NAME}: puts a catalogue file in bonexray's cache, verified. */
@Command(name = "fetch", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Download a catalogue file into bonexray's cache (on a connected machine), verified.",
        description = {"NAME is a catalogue name (densenet169.tv_in1k, densenet169-b2777c0a) or a variant (densenet169: "
                + "timm's file). A verified copy already in a cache is used instead. timm files are downloaded at the "
                + "pinned revision, or at the commit the hub names for main, and verified against the pinned SHA-256 "
                + "or the one the hub publishes; with neither, nothing is downloaded. The revision and digest are "
                + "recorded beside the file. A partial download resumes on the next run.",
                "Exit codes: 0 ok, 1 failure (unreachable, offline, unverifiable, digest mismatch), 2 bad usage."})
public final class WeightsFetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Catalogue entry (see 'bonexray weights list').")
    String name;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "bonexray's weights cache (default: $BONEXRAY_CACHE/weights or ~/.cache/bonexray/weights).")
    Path cache;

    @Option(names = "--sha256", paramLabel = "HEX", description = "SHA-256 you vouch for (must agree with a pinned one).")
    String sha256;

    @Override
    public Integer call() {
        PretrainedWeights entry = UsageException.of(() -> PretrainedWeights.named(name));
        FetchedWeights got = PretrainedStore.fromEnvironment(System.err, cache).fetch(entry, sha256);
        WeightsImportCommand.print(spec.commandLine().getOut(), got);
        return ExitCodes.OK;
    }
}
