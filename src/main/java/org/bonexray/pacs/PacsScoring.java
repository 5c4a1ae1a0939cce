package org.bonexray.pacs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.bonexray.data.BodyPart;
import org.bonexray.io.Json;
import org.bonexray.serve.StudyJson;

/**
 * One study's whole round trip: score it, store the report unless this model already has one in the study,
 * and describe the result as the service's study JSON plus the study UID, a status and the report's UIDs.
 */
public final class PacsScoring {
    private final StudyScorer scorer;
    private final ReportStore reports;

    /** How a round trip ended. */
    public enum Status {
        /** Scored, and the report stored now. */
        STORED,
        /** This model's report was already in the study (scored again only when asked). */
        ALREADY_REPORTED,
        /** Scored, report not stored (asked not to). */
        SCORED,
        /** Not a study for this model. */
        SKIPPED,
        /** Nothing in the study could be decoded. */
        BAD_DATA
    }

    /**
     * @param status how it ended
     * @param json what {@code pacs score} and {@code pacs watch} print
     * @param score the scoring outcome, null when an existing report made scoring unnecessary
     */
    public record Outcome(Status status, ObjectNode json, StudyScore score) {
    }

    public PacsScoring(StudyScorer scorer, ReportStore reports) {
        this.scorer = scorer;
        this.reports = reports;
    }

    /**
     * Runs the round trip for a study.
     *
     * @param bodyPart the body part to assume, null to read it from the study
     * @param rescoreReported score (and print) a study even when this model already reported on it
     * @param store whether to store the report
     */
    public Outcome run(String studyUid, BodyPart bodyPart, boolean rescoreReported, boolean store) {
        Optional<String> existing = store || !rescoreReported ? reports.existing(studyUid) : Optional.empty();
        if (existing.isPresent() && !rescoreReported) {
            ObjectNode json = base(studyUid, Status.ALREADY_REPORTED);
            json.putObject("report").put("series_instance_uid", existing.get()).put("stored", false);
            return new Outcome(Status.ALREADY_REPORTED, json, null);
        }
        StudyScore score = scorer.score(studyUid, bodyPart);
        if (score.status() != StudyScore.Status.SCORED) {
            Status status = score.status() == StudyScore.Status.SKIPPED ? Status.SKIPPED : Status.BAD_DATA;
            ObjectNode json = base(studyUid, status).put("reason", score.reason());
            return new Outcome(status, json, score);
        }
        ObjectNode json = StudyJson.of(score.result(), score.bodyPart(), List.of(), reports.modelId());
        json.put("study_instance_uid", studyUid);
        if (existing.isPresent()) {
            json.put("status", Status.ALREADY_REPORTED.name().toLowerCase(java.util.Locale.ROOT));
            json.putObject("report").put("series_instance_uid", existing.get()).put("stored", false);
            return new Outcome(Status.ALREADY_REPORTED, json, score);
        }
        if (!store) {
            json.put("status", "scored");
            return new Outcome(Status.SCORED, json, score);
        }
        ReportStore.StoredReport sr = reports.store(score);
        json.put("status", "stored");
        json.putObject("report").put("sop_instance_uid", sr.sopInstanceUid())
                .put("series_instance_uid", sr.seriesInstanceUid()).put("stored", true);
        return new Outcome(Status.STORED, json, score);
    }

    private ObjectNode base(String studyUid, Status status) {
        return Json.MAPPER.createObjectNode().put("study_instance_uid", studyUid)
                .put("status", status.name().toLowerCase(java.util.Locale.ROOT)).put("model_id", reports.modelId());
    }
}
