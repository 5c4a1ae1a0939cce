package org.bonexray.data.image;

import java.util.Optional;
import org.bonexray.data.BodyPart;
import org.bonexray.data.dicom.DicomHeader;

/**
 * A decoded radiograph and, when it came from a DICOM file, that file's header (UIDs, modality, body part).
 *
 * @param image the luminance, as for every format
 * @param dicom the DICOM header, null for PNG, JPEG and the other picture formats
 */
public record Radiograph(GrayImage image, DicomHeader dicom) {

    /** The body part the file itself names (DICOM only), empty when it names none. */
    public Optional<BodyPart> bodyPart() {
        return dicom == null ? Optional.empty() : dicom.bodyPart();
    }
}
