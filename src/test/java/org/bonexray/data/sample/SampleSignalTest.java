package org.bonexray.data.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample must be learnable from the findings and not from shortcuts: inside a finding's box the image
 * differs clearly from the same place in normal images of the body part, while whole-image brightness of
 * abnormal and normal images stays alike.
 */
class SampleSignalTest {
    @TempDir
    static Path dir;
    static SampleReader sample;
    /** body part -> gray images of normal studies. */
    static final Map<String, List<Gray>> NORMAL = new HashMap<>();
    static final List<Gray> ABNORMAL = new ArrayList<>();

    record Gray(String path, int width, int height, int[] levels) {
        double mean() {
            double s = 0;
            for (int v : levels) {
                s += v;
            }
            return s / levels.length;
        }

        /** Mean absolute difference between neighbours inside a box given as fractions of the image. */
        double edgeEnergy(double fx0, double fy0, double fx1, double fy1) {
            int x0 = (int) (fx0 * width);
            int y0 = (int) (fy0 * height);
            int x1 = Math.max(x0 + 2, (int) Math.ceil(fx1 * width));
            int y1 = Math.max(y0 + 2, (int) Math.ceil(fy1 * height));
            double sum = 0;
            int n = 0;
            for (int y = y0; y < Math.min(y1, height) - 1; y++) {
                for (int x = x0; x < Math.min(x1, width) - 1; x++) {
                    int v = levels[y * width + x];
                    sum += Math.abs(v - levels[y * width + x + 1]) + Math.abs(v - levels[(y + 1) * width + x]);
                    n++;
                }
            }
            return n == 0 ? 0 : sum / n;
        }
    }

    @BeforeAll
    static void generate() {
        SyntheticMuraGenerator.generate(dir, new SampleSpec(5, 8, 1, 96, 128, 0.5), null);
        sample = new SampleReader(dir);
        for (String path : sample.lines("train_image_paths.csv")) {
            BufferedImage img = sample.image(path);
            Gray g = new Gray(path, img.getWidth(), img.getHeight(), SampleReader.gray(img));
            if (path.contains("_negative/")) {
                NORMAL.computeIfAbsent(SampleReader.bodyPart(path), k -> new ArrayList<>()).add(g);
            } else {
                ABNORMAL.add(g);
            }
        }
    }

    @Test
    void findingBoxesStandOutFromTheSamePlaceInNormalImages() {
        Map<String, Gray> byPath = new HashMap<>();
        ABNORMAL.forEach(g -> byPath.put(g.path(), g));
        double abnormalSum = 0;
        double normalSum = 0;
        int boxes = 0;
        int wins = 0;
        for (Map.Entry<String, List<String[]>> e : sample.findings().entrySet()) {
            Gray g = byPath.get(e.getKey());
            if (g == null) {
                continue;
            }
            for (String[] f : e.getValue()) {
                double fx0 = Double.parseDouble(f[2]) / g.width();
                double fy0 = Double.parseDouble(f[3]) / g.height();
                double fx1 = Double.parseDouble(f[4]) / g.width();
                double fy1 = Double.parseDouble(f[5]) / g.height();
                double inFinding = g.edgeEnergy(fx0, fy0, fx1, fy1);
                double inNormal = NORMAL.get(SampleReader.bodyPart(g.path())).stream()
                        .mapToDouble(n -> n.edgeEnergy(fx0, fy0, fx1, fy1)).average().orElseThrow();
                abnormalSum += inFinding;
                normalSum += inNormal;
                wins += inFinding > inNormal ? 1 : 0;
                boxes++;
            }
        }
        System.out.printf(Locale.ROOT, "boxes %d, edge energy in findings %.2f vs normal %.2f, wins %d%n", boxes,
                abnormalSum / boxes, normalSum / boxes, wins);
        assertTrue(boxes >= 20, "too few findings to judge: " + boxes);
        assertTrue(abnormalSum > 1.5 * normalSum, String.format(Locale.ROOT,
                "findings barely differ from normal images: %.2f vs %.2f", abnormalSum / boxes, normalSum / boxes));
        assertTrue(wins >= 0.8 * boxes, "only " + wins + " of " + boxes + " boxes stand out");
    }

    @Test
    void wholeImageBrightnessDoesNotGiveTheLabelAway() {
        List<Double> normal = NORMAL.values().stream().flatMap(List::stream).map(Gray::mean).toList();
        List<Double> abnormal = ABNORMAL.stream().map(Gray::mean).toList();
        double mn = normal.stream().mapToDouble(d -> d).average().orElseThrow();
        double ma = abnormal.stream().mapToDouble(d -> d).average().orElseThrow();
        double all = (mn * normal.size() + ma * abnormal.size()) / (normal.size() + abnormal.size());
        double var = 0;
        for (double d : normal) {
            var += (d - all) * (d - all);
        }
        for (double d : abnormal) {
            var += (d - all) * (d - all);
        }
        double sd = Math.sqrt(var / (normal.size() + abnormal.size() - 1));
        System.out.printf(Locale.ROOT, "mean gray abnormal %.2f (n=%d) vs normal %.2f (n=%d), sd %.2f%n", ma,
                abnormal.size(), mn, normal.size(), sd);
        assertTrue(Math.abs(ma - mn) < 0.35 * sd, String.format(Locale.ROOT,
                "abnormal and normal images differ in mean brightness: %.2f vs %.2f (sd %.2f)", ma, mn, sd));
    }
}
