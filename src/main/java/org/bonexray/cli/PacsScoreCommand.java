package org.bonexray.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.bonexray.data.BodyPart;
import org.bonexray.io.Json;
import org.bonexray.pacs.PacsScoring;
import org.bonexray.pacs.ScoringSession;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.pacs.dicomweb.PacsException;
import org.bonexray.pacs.dicomweb.Waiter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray pacs score}: one study's round trip, its JSON on stdout. */
@Command(name = "score", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Score one PACS study and store the result in it as a DICOM Structured Report.",
        description = {"Finds the study's instances (QIDO-RS), fetches its images (WADO-RS), predicts it as `predict` "
                + "does and stores a Comprehensive SR into the same study (STOW-RS), unless this model's report is "
                + "already there. Prints the study JSON of `serve` plus the study UID, a status and the report's UIDs.",
                "Exit codes: 0 ok, 1 PACS failure, 2 bad usage, 3 bad data (no such study, nothing decodable, or not "
                + "an upper-extremity study)."})
public final class PacsScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PacsOptions pacs;

    @Mixin
    PacsModelOptions model;

    @Option(names = "--study", required = true, paramLabel = "UID", description = "Study Instance UID of the study.")
    String studyUid;

    @Option(names = "--body-part", paramLabel = "PART",
            description = "Score as this body part (WRIST, XR_HAND, ...) whatever the study's attributes say.")
    String bodyPart;

    @Option(names = "--no-store", description = "Print the result only; store no report.")
    boolean noStore;

    @Override
    public Integer call() throws Exception {
        BodyPart part = bodyPart == null ? null : BodyPart.parse(bodyPart).orElseThrow(() ->
                new UsageException("unknown body part '" + bodyPart + "'"));
        DicomWebClient client = pacs.client(Waiter.SLEEP);
        PacsScoring.Outcome outcome;
        try (ScoringSession session = model.open(client)) {
            outcome = session.scoring().run(studyUid, part, true, !noStore);
        } catch (PacsException e) {
            return PacsCommand.failure(e, spec.commandLine().getErr());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(outcome.json()));
        out.flush();
        if (outcome.status() == PacsScoring.Status.SKIPPED || outcome.status() == PacsScoring.Status.BAD_DATA) {
            spec.commandLine().getErr().println("bonexray: bad data: " + outcome.json().path("reason").asText());
            return ExitCodes.BAD_DATA;
        }
        return ExitCodes.OK;
    }
}
