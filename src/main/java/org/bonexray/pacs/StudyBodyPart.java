package org.bonexray.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bonexray.data.BodyPart;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicomweb.DicomJson;

/**
 * The MURA body part of a study from its instances' attributes: Body Part Examined first (DICOM's defined
 * terms WRIST, HAND, FINGER, ELBOW, FOREARM, HUMERUS, SHOULDER, or MURA's XR_WRIST), then a body part named
 * as a word of the Study or Series Description ({@code XR WRIST 3 VIEWS}).
 */
final class StudyBodyPart {
    static final List<Integer> SOURCES = List.of(Tags.BODY_PART_EXAMINED, Tags.STUDY_DESCRIPTION, Tags.SERIES_DESCRIPTION);

    private StudyBodyPart() {
    }

    /** The first instance's part that maps; empty when none does. */
    static Optional<BodyPart> of(List<JsonNode> instances) {
        for (int tag : SOURCES) {
            for (JsonNode instance : instances) {
                Optional<BodyPart> part = fromText(DicomJson.string(instance, tag), tag == Tags.BODY_PART_EXAMINED);
                if (part.isPresent()) {
                    return part;
                }
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
        return "no Body Part Examined and no upper-extremity part in its descriptions";
    }

    private static Optional<BodyPart> fromText(String text, boolean whole) {
        if (text == null) {
            return Optional.empty();
        }
        if (whole) {
            return BodyPart.parse(text);
        }
        for (String word : text.toUpperCase(Locale.ROOT).split("[^A-Z]+")) {
            Optional<BodyPart> part = word.isEmpty() ? Optional.empty() : BodyPart.parse(word);
            if (part.isPresent()) {
                return part;
            }
        }
        return Optional.empty();
    }
}
