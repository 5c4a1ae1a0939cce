package org.bonexray.data.sample;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Split;

/** Counts patients, studies and images per split and body part for the sample manifest. */
final class ManifestCounter {
    private ManifestCounter() {
    }

    static SampleManifest count(SampleSpec spec, String version, List<StudyPlan> plans,
                                List<List<SampleImage>> images) {
        Map<String, Map<String, SampleManifest.Counts>> counts = new LinkedHashMap<>();
        Map<String, SampleManifest.Counts> splitTotals = new LinkedHashMap<>();
        SampleManifest.Counts total = SampleManifest.Counts.ZERO;
        int findings = 0;
        for (Split split : Split.values()) {
            Map<String, SampleManifest.Counts> perPart = new LinkedHashMap<>();
            SampleManifest.Counts splitTotal = SampleManifest.Counts.ZERO;
            for (BodyPart part : BodyPart.values()) {
                Set<Integer> patients = new HashSet<>();
                int[] c = new int[4];
                for (int i = 0; i < plans.size(); i++) {
                    StudyPlan p = plans.get(i);
                    if (p.split() != split || p.bodyPart() != part) {
                        continue;
                    }
                    patients.add(p.patient());
                    int n = images.get(i).size();
                    int slot = p.label().isAbnormal() ? 0 : 1;
                    c[slot]++;
                    c[slot + 2] += n;
                    findings += images.get(i).stream().mapToInt(img -> img.findings().size()).sum();
                }
                SampleManifest.Counts partCounts = new SampleManifest.Counts(patients.size(), c[0] + c[1],
                        c[2] + c[3], c[0], c[1], c[2], c[3]);
                perPart.put(part.folderName(), partCounts);
                splitTotal = splitTotal.plus(partCounts);
            }
            counts.put(split.folderName(), perPart);
            splitTotals.put(split.folderName(), splitTotal);
            total = total.plus(splitTotal);
        }
        return new SampleManifest("bonexray synthetic MURA sample", version, spec.seed(), spec, counts,
                splitTotals, total, findings);
    }
}
