package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bonexray.data.BodyPart;
import org.bonexray.data.IssueKind;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.LoadReport;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import picocli.CommandLine.Option;

/** The options every command that reads a MURA-format dataset shares (a picocli mixin). */
public final class DataOptions {

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "MURA-format dataset root (the MURA-v1.1 folder, or the folder holding it).")
    Path data;

    @Option(names = "--body-part", split = ",", paramLabel = "PART",
            description = "Keep only these body parts (e.g. WRIST,HAND or XR_WRIST); default: all seven.")
    List<String> bodyParts = List.of();

    @Option(names = "--present-only",
            description = "Use what is on disk when the CSVs list more (a partial copy); what was left out is counted.")
    boolean presentOnly;

    @Option(names = "--skip-invalid",
            description = "Leave out wrong entries (label contradicting its folder, unlisted images, empty studies, ...) "
                    + "instead of refusing the dataset; each is still reported.")
    boolean skipInvalid;

    public LoadOptions loadOptions() {
        return new LoadOptions(presentOnly, skipInvalid, parts());
    }

    public Set<BodyPart> parts() {
        Set<BodyPart> parts = new LinkedHashSet<>();
        for (String name : bodyParts) {
            parts.add(BodyPart.parse(name).orElseThrow(() -> new UsageException(
                    "unknown body part '" + name + "': expected one of " + EnumSet.allOf(BodyPart.class))));
        }
        return parts;
    }

    /** Loads the dataset and tells the user, on {@code err}, what was tolerated and left out. */
    public MuraIndex load(PrintWriter err) {
        MuraIndex index = MuraIndexLoader.load(data, loadOptions());
        printReport(index.report(), err);
        return index;
    }

    static void printReport(LoadReport report, PrintWriter err) {
        if (report.isClean()) {
            return;
        }
        Map<IssueKind, Integer> counts = report.countsByKind();
        err.println("Dataset issues (tolerated by the options given):");
        counts.forEach((kind, n) -> err.printf("  %,8d  %s: %s%n", n, kind, kind.description()));
        report.issues().stream().limit(10).forEach(i -> err.println("    e.g. " + i));
        err.printf("Left out: %,d studies and %,d images.%n", report.studiesLeftOut(), report.imagesLeftOut());
        err.flush();
    }
}
