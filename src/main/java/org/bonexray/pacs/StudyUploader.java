package org.bonexray.pacs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bonexray.data.BodyPart;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.pacs.dicom.DicomDataset;
import org.bonexray.pacs.dicom.DicomUids;
import org.bonexray.pacs.dicom.Part10;
import org.bonexray.pacs.dicom.SecondaryCapture;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicomweb.DicomWebClient;

/**
 * Sends a study folder of radiograph files (PNG, JPEG) to a PACS as a new DICOM study of Secondary Capture
 * images, so bonexray can be tried against a PACS with the synthetic sample: the body part and patient come
 * from MURA's path ({@code XR_WRIST/patient00011/study1_positive}) unless given.
 */
public final class StudyUploader {
    private final DicomWebClient client;

    /** What was sent: the new study's UID and its instances' SOP Instance UIDs. */
    public record Uploaded(String studyUid, BodyPart bodyPart, List<String> sopInstanceUids) {
    }

    public StudyUploader(DicomWebClient client) {
        this.client = client;
    }

    /**
     * Converts and stores one study (all its instances in one STOW-RS request).
     *
     * @param bodyPart the body part to record, null to take it from the path (none when the path names none)
     */
    public Uploaded upload(List<Path> images, BodyPart bodyPart) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a study needs at least one image");
        }
        Path first = images.get(0).toAbsolutePath();
        BodyPart part = bodyPart != null ? bodyPart : fromPath(first).orElse(null);
        String patient = patientFromPath(first);
        SecondaryCapture.Study study = new SecondaryCapture.Study(DicomUids.random(), DicomUids.random(), patient,
                "Trial^" + patient, null, part == null ? null : part.name(),
                part == null ? "bonexray trial" : part.folderName().replace('_', ' '));
        List<byte[]> files = new ArrayList<>();
        List<String> sops = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            GrayImage image = ImageDecoder.decode(images.get(i));
            DicomDataset instance = SecondaryCapture.of(study, i + 1, image);
            files.add(Part10.write(instance));
            sops.add(instance.string(Tags.SOP_INSTANCE_UID));
        }
        client.store(study.studyUid(), files, sops);
        return new Uploaded(study.studyUid(), part, sops);
    }

    /** The body part named by a MURA folder ({@code XR_WRIST}) among the path's folders. */
    static Optional<BodyPart> fromPath(Path file) {
        for (Path p = file.getParent(); p != null && p.getFileName() != null; p = p.getParent()) {
            String name = p.getFileName().toString();
            if (name.startsWith("XR_")) {
                Optional<BodyPart> part = BodyPart.parse(name);
                if (part.isPresent()) {
                    return part;
                }
            }
        }
        return Optional.empty();
    }

    /** MURA's patient folder name ({@code patient00011}) when the path has one, else a neutral id. */
    static String patientFromPath(Path file) {
        for (Path p = file.getParent(); p != null && p.getFileName() != null; p = p.getParent()) {
            String name = p.getFileName().toString();
            if (name.matches("patient[0-9]{1,12}")) {
                return name;
            }
        }
        return "bonexray-trial";
    }
}
