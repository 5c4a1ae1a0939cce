package org.bonexray.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bonexray.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalizationMetricsTest {
    private static final int W = 10;
    private static final int H = 8;
    private static final List<Box> BOX = List.of(new Box(6, 1, 9, 4)); // columns 6..8, rows 1..3: 9 pixels

    private static float[] peakedAt(int px, int py) {
        float[] map = new float[W * H];
        map[py * W + px] = 5;
        return map;
    }

    @Test
    void aPeakInsideTheBoxIsAHitAndOnTheExclusiveEdgeIsNot() {
        assertTrue(LocalizationMetrics.pointingHit(peakedAt(6, 1), W, H, BOX));
        assertTrue(LocalizationMetrics.pointingHit(peakedAt(8, 3), W, H, BOX));
        assertFalse(LocalizationMetrics.pointingHit(peakedAt(9, 3), W, H, BOX), "x_max is exclusive");
        assertFalse(LocalizationMetrics.pointingHit(peakedAt(8, 4), W, H, BOX), "y_max is exclusive");
        assertFalse(LocalizationMetrics.pointingHit(new float[W * H], W, H, BOX), "a flat map has no peak");
        assertNull(LocalizationMetrics.peak(new float[W * H], W, H));
    }

    @Test
    void aPlateauPointsAtItsCentre() {
        float[] map = new float[W * H];
        for (int x = 0; x < 5; x++) {
            map[2 * W + x] = 1; // row 2, columns 0..4
        }
        assertEquals(new LocalizationMetrics.Point(2, 2), LocalizationMetrics.peak(map, W, H));
    }

    @Test
    void massFractionIsExactOnHandMadeMaps() {
        float[] map = new float[W * H];
        map[2 * W + 7] = 3;   // inside
        map[0] = 1;           // outside
        map[5 * W + 5] = -4;  // negative: no mass
        assertEquals(0.75, LocalizationMetrics.massFraction(map, W, H, BOX), 1e-12);
        java.util.Arrays.fill(map, 2f);
        assertEquals(9.0 / 80, LocalizationMetrics.massFraction(map, W, H, BOX), 1e-12);
        assertEquals(9.0 / 80, LocalizationMetrics.uniformMass(W, H, BOX), 1e-12);
        // overlapping boxes count their union once
        List<Box> two = List.of(new Box(0, 0, 2, 2), new Box(1, 1, 3, 3));
        assertEquals(7.0 / 80, LocalizationMetrics.uniformMass(W, H, two), 1e-12);
    }

    @Test
    void centreBaselineUsesTheCentrePixel() {
        assertTrue(LocalizationMetrics.centreHit(W, H, List.of(new Box(5, 4, 6, 5))));
        assertFalse(LocalizationMetrics.centreHit(W, H, BOX));
    }

    @Test
    void randomBaselineIsDeterministicForASeedAndDiffersAcrossSeedsAndImages() {
        assertArrayEquals(LocalizationMetrics.randomGrid(42, 3, 16), LocalizationMetrics.randomGrid(42, 3, 16));
        assertFalse(java.util.Arrays.equals(LocalizationMetrics.randomGrid(42, 3, 16), LocalizationMetrics.randomGrid(43, 3, 16)));
        assertFalse(java.util.Arrays.equals(LocalizationMetrics.randomGrid(42, 3, 16), LocalizationMetrics.randomGrid(42, 4, 16)));
    }

    @Test
    void wilsonIntervalMatchesKnownValues() {
        double[] ci = LocalizationMetrics.wilson95(8, 10);
        assertEquals(0.4902, ci[0], 1e-4);
        assertEquals(0.9433, ci[1], 1e-4);
        double[] zero = LocalizationMetrics.wilson95(0, 20);
        assertEquals(0, zero[0], 1e-12);
        assertEquals(0.1611, zero[1], 1e-4);
    }

    @Test
    void tallyGivesRatesAndIntervals() {
        LocalizationScore.Tally t = new LocalizationScore.Tally("x");
        t.add(true, 0.5);
        t.add(false, 0.1);
        t.add(true, 0.3);
        t.add(true, 0.3);
        LocalizationScore s = t.score();
        assertEquals(4, s.n());
        assertEquals(3, s.hits());
        assertEquals(0.75, s.hitRate(), 1e-12);
        assertEquals(0.3, s.meanMass(), 1e-12);
        assertTrue(s.massLower() < 0.3 && s.massUpper() > 0.3);
    }

    @Test
    void findingsFileIsReadPerImage(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("findings.csv");
        Files.writeString(csv, "image_path,finding,x_min,y_min,x_max,y_max\n"
                + "MURA-v1.1/valid/XR_WRIST/p1/study1_positive/image1.png,lesion,1,2,3,4\n"
                + "MURA-v1.1/valid/XR_WRIST/p1/study1_positive/image1.png,fracture,5,6,7,8\n");
        Map<String, List<Box>> boxes = FindingBoxes.read(csv);
        assertEquals(List.of(new Box(1, 2, 3, 4), new Box(5, 6, 7, 8)),
                boxes.get("MURA-v1.1/valid/XR_WRIST/p1/study1_positive/image1.png"));
        Files.writeString(csv, "image_path,finding,x_min,y_min,x_max,y_max\nx.png,lesion,5,2,3,4\n");
        DataException e = assertThrows(DataException.class, () -> FindingBoxes.read(csv));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
