package org.bonexray.cli;

import java.io.PrintWriter;
import org.bonexray.pacs.dicomweb.PacsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bonexray pacs}: working with a PACS over DICOMweb; prints usage, each subcommand is its own class. */
@Command(name = "pacs", mixinStandardHelpOptions = true,
        header = "Score studies of a PACS over DICOMweb and store the results back as DICOM Structured Reports.",
        description = {"score: one study, by its Study Instance UID. watch: every new stable study of an Orthanc PACS, "
                + "once each, restart-safe. upload: send study folders of PNGs (the synthetic sample, say) as DICOM "
                + "Secondary Capture images, to try the others.",
                "Exit codes: 0 ok, 1 failure (the PACS unreachable after retries, or refusing), 2 bad usage, 3 bad data "
                + "(no decodable image, no such study, or a study this model does not score)."},
        subcommands = {PacsScoreCommand.class, PacsWatchCommand.class, PacsUploadCommand.class})
public final class PacsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One line for a PACS failure and exit code 1 (stack traces are no help for an unreachable server). */
    static int failure(PacsException e, PrintWriter err) {
        err.println("bonexray: PACS: " + e.getMessage());
        err.flush();
        return ExitCodes.FAILURE;
    }
}
