package org.bonexray.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;

/** Seeded synthetic predictions: studies of 1 to 4 images whose probabilities lean towards the label. */
final class Synthetic {
    private Synthetic() {
    }

    /** {@code studies} studies spread over {@code parts}, 40% abnormal, scores informative but noisy. */
    static List<ImagePrediction> images(int studies, long seed, List<BodyPart> parts) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ImagePrediction> out = new ArrayList<>();
        for (int s = 0; s < studies; s++) {
            Label label = Label.of(random.nextDouble() < 0.4);
            BodyPart part = parts.get(s % parts.size());
            String study = String.format("%s/patient%05d/study1_%s", part.folderName(), s, label.folderSuffix());
            int images = 1 + random.nextInt(4);
            for (int i = 0; i < images; i++) {
                double p = 0.5 + 0.2 * (label.value() - 0.5) + 0.25 * gaussian(random);
                out.add(new ImagePrediction(study + "/image" + (i + 1) + ".png", study, part, label,
                        Math.max(0.0, Math.min(1.0, p))));
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; 1 - u keeps the logarithm finite.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
