package org.bonexray.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bonexray.data.BodyPart;
import org.bonexray.data.DataException;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.pacs.dicom.ReportContent;
import org.bonexray.pacs.dicom.StructuredReport;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicomweb.DicomJson;
import org.bonexray.pacs.dicomweb.DicomWebClient;

/**
 * Scores one study of a PACS: finds its instances (QIDO-RS), keeps the images, decides the body part, fetches
 * each image (WADO-RS), decodes it by content and predicts the study exactly as {@code predict} does (the
 * model's preprocessing, threshold and mean over views). An image that cannot be decoded is left out of the
 * mean with its reason; a PACS failure propagates, so the study can be tried again later.
 */
public final class StudyScorer {
    private final DicomWebClient client;
    private final StudyPredictor predictor;
    private final ImageDecoder decoder;
    private final int maxImages;

    /**
     * @param maxImages the most image instances a study may have: radiograph studies have a few views, and the
     *                  limit bounds memory against a study that is something else (a CT series, say)
     */
    public StudyScorer(DicomWebClient client, StudyPredictor predictor, ImageDecoder decoder, int maxImages) {
        this.client = client;
        this.predictor = predictor;
        this.decoder = decoder;
        this.maxImages = maxImages;
    }

    /** The attributes asked of QIDO-RS for each instance. */
    static List<Integer> includeFields() {
        List<Integer> fields = new ArrayList<>(StructuredReport.COPIED.keySet());
        fields.addAll(List.of(Tags.SOP_CLASS_UID, Tags.SERIES_INSTANCE_UID, Tags.MODALITY));
        fields.addAll(StudyBodyPart.SOURCES);
        return fields;
    }

    /**
     * Scores a study.
     *
     * @param bodyPart the body part to assume, or null to read it from the study
     */
    public StudyScore score(String studyUid, BodyPart bodyPart) {
        List<JsonNode> instances = client.searchInstances(studyUid, includeFields());
        if (instances.isEmpty()) {
            return StudyScore.badData(studyUid, bodyPart, "the PACS has no instance of study " + studyUid);
        }
        List<JsonNode> images = instances.stream().filter(InstanceKinds::isImage).toList();
        if (images.isEmpty()) {
            return StudyScore.skipped(studyUid, "the study holds no image instance");
        }
        if (images.size() > maxImages) {
            return StudyScore.skipped(studyUid, images.size() + " image instances, more than the " + maxImages
                    + " a radiograph study is expected to have");
        }
        Optional<BodyPart> part = bodyPart != null ? Optional.of(bodyPart) : StudyBodyPart.of(images);
        if (part.isEmpty()) {
            return StudyScore.skipped(studyUid, "not an upper-extremity study of MURA's seven parts ("
                    + StudyBodyPart.described(images) + ")");
        }
        List<StudyPredictor.View> views = new ArrayList<>();
        List<ReportContent.View> refs = new ArrayList<>();
        for (JsonNode instance : images) {
            String sop = require(instance, Tags.SOP_INSTANCE_UID, studyUid);
            String series = require(instance, Tags.SERIES_INSTANCE_UID, studyUid);
            String sopClass = require(instance, Tags.SOP_CLASS_UID, studyUid);
            views.add(decode(client.retrieveInstance(studyUid, series, sop), sop));
            refs.add(new ReportContent.View(sopClass, sop, series, null, null));
        }
        if (views.stream().allMatch(v -> v.image() == null)) {
            return StudyScore.badData(studyUid, part.get(), "no decodable image instance in study " + studyUid + ": "
                    + views.get(0).error());
        }
        StudyPredictor.StudyResult result = predictor.predict(studyUid, part.get(), views);
        List<ReportContent.View> scored = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            ReportContent.View r = refs.get(i);
            StudyPredictor.ImageResult ir = result.images().get(i);
            scored.add(new ReportContent.View(r.sopClassUid(), r.sopInstanceUid(), r.seriesUid(), ir.probability(), ir.error()));
        }
        return new StudyScore(studyUid, StudyScore.Status.SCORED, null, part.get(), result, scored,
                DicomJson.copy(images.get(0), StructuredReport.COPIED));
    }

    private StudyPredictor.View decode(byte[] bytes, String sopInstanceUid) {
        try {
            return new StudyPredictor.View(sopInstanceUid, decoder.read(bytes, sopInstanceUid), null);
        } catch (DataException e) {
            return new StudyPredictor.View(sopInstanceUid, null, e.getMessage());
        }
    }

    private static String require(JsonNode instance, int tag, String studyUid) {
        String v = DicomJson.string(instance, tag);
        if (v == null) {
            throw new org.bonexray.pacs.dicomweb.PacsException(org.bonexray.pacs.dicomweb.PacsException.Kind.MALFORMED,
                    "QIDO-RS gave an instance of study " + studyUid + " without " + Tags.hex(tag));
        }
        return v;
    }
}
