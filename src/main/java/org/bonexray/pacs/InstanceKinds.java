package org.bonexray.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicomweb.DicomJson;

/**
 * Tells image instances from the others a study may hold (structured reports, bonexray's own among them,
 * presentation states, key object selections, PDFs), from the QIDO attributes, so only images are fetched.
 */
final class InstanceKinds {
    private static final Set<String> NON_IMAGE_MODALITIES = Set.of("SR", "KO", "PR", "DOC", "REG", "SEG", "RTSTRUCT");
    private static final String STORAGE = "1.2.840.10008.5.1.4.1.1.";
    /** SOP class families without pixels: 88 SR and key objects, 11 presentation states, 104 encapsulated documents, 66 raw and registration. */
    private static final Set<String> NON_IMAGE_FAMILIES = Set.of("88", "11", "104", "66");

    private InstanceKinds() {
    }

    static boolean isImage(JsonNode instance) {
        String modality = DicomJson.string(instance, Tags.MODALITY);
        if (modality != null && NON_IMAGE_MODALITIES.contains(modality)) {
            return false;
        }
        String sopClass = DicomJson.string(instance, Tags.SOP_CLASS_UID);
        if (sopClass != null && sopClass.startsWith(STORAGE)) {
            String family = sopClass.substring(STORAGE.length()).split("\\.", 2)[0];
            return !NON_IMAGE_FAMILIES.contains(family);
        }
        return true;
    }
}
