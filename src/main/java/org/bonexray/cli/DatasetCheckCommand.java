package org.bonexray.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bonexray.data.DataException;
import org.bonexray.data.DatasetCheck;
import org.bonexray.data.DatasetCheckReport;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray dataset check}: decode every radiograph of a tree and list every one that fails. */
@Command(name = "check", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Decode every radiograph under a folder and list every bad one with its reason.",
        description = {"Finds every radiograph under --data (PNG, JPEG, DICOM by .dcm/.dicom name, and extension-less "
                + "files that are DICOM by content; hidden files skipped), decodes each as training would, in parallel "
                + "with progress on stderr, and prints one report: counts per format, then every bad file grouped by "
                + "reason (truncated, corrupt, unsupported format or DICOM transfer syntax, too large, ...).",
                "Exit codes: 0 every file decoded, 2 bad usage, 3 some file is bad (all are listed) or none was found."})
final class DatasetCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Folder to check: a MURA-format root, a split, or any folder of radiographs.")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "Decoding threads (default: one per core).")
    Integer threads;

    @Option(names = "--json", arity = "0..1", fallbackValue = "-", paramLabel = "FILE",
            description = "Write the report as JSON: to stdout when no FILE is given (instead of the table), else to "
                    + "FILE (written atomically; the table still goes to stdout).")
    String json;

    @Override
    public Integer call() throws Exception {
        StopSignal.install(); // SIGINT/SIGTERM stop at the next safe point (exit 130/143), not mid-step
        List<Path> files = DatasetCheck.radiographs(data);
        if (files.isEmpty()) {
            throw new DataException(data, "no radiograph found (PNG, JPEG or DICOM)");
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Progress progress = new Progress(new PrintStream(System.err, true), "check", files.size(), "img");
        DatasetCheckReport report = new DatasetCheck(ImageDecoder.STANDARD, n).run(data, files, progress);
        progress.finish();
        PrintWriter out = spec.commandLine().getOut();
        if ("-".equals(json)) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            out.print(report.toTable());
            if (json != null) {
                AtomicFiles.writeJson(Path.of(json), report);
                out.println("Written: " + json);
            }
        }
        out.flush();
        return report.clean() ? ExitCodes.OK : ExitCodes.BAD_DATA;
    }
}
