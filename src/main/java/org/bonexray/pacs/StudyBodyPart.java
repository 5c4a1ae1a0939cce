package org.bonexray.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.bonexray.data.BodyPart;
import org.bonexray.data.dicom.BodyPartTerms;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicomweb.DicomJson;

/**
 * The MURA body part of a PACS study from its instances' QIDO attributes, by the DICOM reader's own mapping
 * ({@link BodyPartTerms}: Body Part Examined, then the Study and Series Descriptions).
 */
final class StudyBodyPart {
    static final List<Integer> SOURCES = List.of(Tags.BODY_PART_EXAMINED, Tags.STUDY_DESCRIPTION, Tags.SERIES_DESCRIPTION);

    private StudyBodyPart() {
    }

    /** The part of the first instance that names one; empty when none does. */
    static Optional<BodyPart> of(List<JsonNode> instances) {
        for (JsonNode instance : instances) {
            Optional<BodyPart> part = BodyPartTerms.of(DicomJson.string(instance, Tags.BODY_PART_EXAMINED),
                    DicomJson.string(instance, Tags.STUDY_DESCRIPTION), DicomJson.string(instance, Tags.SERIES_DESCRIPTION));
            if (part.isPresent()) {
                return part;
            }
        }
        return Optional.empty();
    }

    /** What the study says about its body part, for the reason of a skip. */
    static String described(List<JsonNode> instances) {
        for (JsonNode instance : instances) {
            String examined = DicomJson.string(instance, Tags.BODY_PART_EXAMINED);
            if (examined != null) {
                return "Body Part Examined " + examined;
            }
        }
        return "no Body Part Examined and no single upper-extremity part in its descriptions";
    }
}
