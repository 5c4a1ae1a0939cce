package org.bonexray.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bonexray.eval.BinaryMetrics;
import org.junit.jupiter.api.Test;

/** Temperature scaling of an over-confident model's probabilities. */
class TemperatureTest {

    @Test
    void lowersTheEceOfAnOverConfidentModelAndKeepsItsAuroc() {
        // A calibrated model: labels drawn with P(y = 1) = sigmoid(z). Its over-confident twin reports sigmoid(4 z).
        SplittableRandom rng = new SplittableRandom(25);
        int n = 4000;
        double[] overConfident = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double z = rng.nextDouble(-3, 3);
            labels[i] = rng.nextDouble() < DatasetInference.sigmoid(z) ? 1 : 0;
            overConfident[i] = DatasetInference.sigmoid(4 * z);
        }
        double t = Temperature.fit(overConfident, labels);
        assertEquals(4.0, t, 0.4, "the fitted temperature undoes the factor");
        double[] scaled = new double[n];
        for (int i = 0; i < n; i++) {
            scaled[i] = Temperature.scale(overConfident[i], t);
        }
        BinaryMetrics before = BinaryMetrics.compute(overConfident, labels, 0.5);
        BinaryMetrics after = BinaryMetrics.compute(scaled, labels, 0.5);
        assertTrue(after.ece() < before.ece() / 2, "ECE " + before.ece() + " -> " + after.ece());
        assertEquals(before.auroc(), after.auroc(), 1e-12, "a monotone map keeps the ranking");
    }

    @Test
    void temperatureOneChangesNothingAndBadInputIsRefused() {
        assertEquals(0.3, Temperature.scale(0.3, 1));
        assertEquals(0.5, Temperature.scale(0.5, 3), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Temperature.fit(new double[] {0.2}, new int[] {}));
    }
}
