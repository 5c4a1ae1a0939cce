package org.bonexray.predict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.eval.Evaluation;
import org.bonexray.eval.GroupResult;
import org.bonexray.eval.ImagePrediction;
import org.bonexray.eval.MemberSpread;
import org.bonexray.eval.PredictionCsv;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;

/**
 * What an ensemble's evaluation adds: each member's study-level metrics at the ensemble's threshold (did the
 * ensemble beat its members?), and {@code study_spread.csv}, the members' disagreement on each study.
 */
final class EnsembleEvaluation {
    private EnsembleEvaluation() {
    }

    /**
     * @param model the ensemble
     * @param members each member's image predictions, calibrated as the ensemble's
     * @param ensemble the ensemble's study predictions
     * @param evaluation the ensemble's evaluation settings (aggregation, threshold, bootstrap)
     * @param outDir where {@code study_spread.csv} goes
     * @return the report for metrics.json
     */
    static Map<String, Object> report(LoadedModel model, List<List<ImagePrediction>> members,
                                      List<StudyPrediction> ensemble, Evaluation evaluation, Path outDir) {
        StudyAggregation aggregation = evaluation.aggregation();
        List<List<StudyPrediction>> memberStudies = members.stream().map(aggregation::aggregate).toList();
        List<MemberSpread> spreads = new ArrayList<>(ensemble.size());
        for (int s = 0; s < ensemble.size(); s++) {
            double[] study = new double[memberStudies.size()];
            for (int m = 0; m < study.length; m++) {
                StudyPrediction p = memberStudies.get(m).get(s);
                if (!p.studyId().equals(ensemble.get(s).studyId())) {
                    throw new IllegalStateException("member " + m + " scored other studies than the ensemble");
                }
                study[m] = p.probability();
            }
            spreads.add(MemberSpread.ofStudies(study));
        }
        PredictionCsv.writeSpread(outDir.resolve("study_spread.csv"), ensemble, spreads);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            LoadedModel.Member member = model.members().get(m);
            GroupResult overall = evaluation.evaluate(members.get(m)).studyLevel().overall();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("member", member.name());
            row.put("id", ModelArtifact.id(member.dir()));
            row.put("accuracy", overall.metrics().accuracy());
            row.put("kappa", overall.metrics().kappa());
            row.put("auroc", overall.metrics().auroc());
            row.put("f1", overall.metrics().f1());
            row.put("intervals", overall.intervals());
            rows.add(row);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("members", members.size());
        report.put("meanMemberSd", spreads.stream().mapToDouble(MemberSpread::sd).average().orElse(Double.NaN));
        report.put("memberResults", rows);
        report.put("spreadFile", "study_spread.csv");
        return report;
    }
}
