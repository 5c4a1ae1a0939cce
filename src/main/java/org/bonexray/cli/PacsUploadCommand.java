package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bonexray.data.BodyPart;
import org.bonexray.data.StudyInputs;
import org.bonexray.io.Json;
import org.bonexray.pacs.StudyUploader;
import org.bonexray.pacs.dicomweb.PacsException;
import org.bonexray.pacs.dicomweb.Waiter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bonexray pacs upload}: study folders of PNGs into a PACS as DICOM, to try `pacs score` and `pacs watch`. */
@Command(name = "upload", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Send study folders of radiograph files to a PACS as new DICOM studies (for trials).",
        description = {"Each study (a folder, or images grouped by folder as `predict` does) becomes one new study of "
                + "8-bit Secondary Capture images, stored with STOW-RS. Body part and patient come from MURA's path "
                + "(XR_WRIST/patient00011/...) unless --body-part is given. Prints one JSON line per study with its "
                + "new Study Instance UID.",
                "Exit codes: 0 ok, 1 PACS failure, 2 bad usage, 3 an image could not be read."})
public final class PacsUploadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PacsOptions pacs;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Study folders, image files or lists of paths.")
    List<Path> inputs;

    @Option(names = "--body-part", paramLabel = "PART", description = "Body part to record (default: from the path).")
    String bodyPart;

    @Override
    public Integer call() throws Exception {
        BodyPart part = bodyPart == null ? null : BodyPart.parse(bodyPart).orElseThrow(() ->
                new UsageException("unknown body part '" + bodyPart + "'"));
        StudyUploader uploader = new StudyUploader(pacs.client(Waiter.SLEEP));
        PrintWriter out = spec.commandLine().getOut();
        for (Map.Entry<String, List<Path>> study : StudyInputs.groupByStudy(inputs).entrySet()) {
            StudyUploader.Uploaded u;
            try {
                u = uploader.upload(study.getValue(), part);
            } catch (PacsException e) {
                return PacsCommand.failure(e, spec.commandLine().getErr());
            }
            out.println(Json.MAPPER.createObjectNode().put("folder", study.getKey()).put("study_instance_uid", u.studyUid())
                    .put("body_part", u.bodyPart() == null ? null : u.bodyPart().name())
                    .put("instances", u.sopInstanceUids().size()).toString());
            out.flush();
        }
        return ExitCodes.OK;
    }
}
