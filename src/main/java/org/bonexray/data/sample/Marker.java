package org.bonexray.data.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The lead side marker ("L" or "R") technologists put on the cassette: drawn as metal strokes in a corner,
 * in normal and abnormal images alike, so a model must not take bright metal alone as a sign of hardware.
 * Strokes instead of a font keep the bytes identical on every machine.
 */
final class Marker {
    private Marker() {
    }

    /** The strokes of {@code letter} in a free corner, or none when every corner would cover a finding. */
    static List<Capsule> letter(char letter, int w, int h, List<FindingBox> avoid, SplittableRandom rng) {
        double size = Math.max(8, (0.06 + 0.03 * rng.nextDouble()) * Math.min(w, h));
        double margin = 0.04 * Math.min(w, h);
        int start = rng.nextInt(4);
        for (int k = 0; k < 4; k++) {
            int corner = (start + k) % 4;
            double x0 = (corner & 1) == 0 ? margin : w - margin - 0.7 * size;
            double y0 = (corner & 2) == 0 ? margin : h - margin - size;
            if (!overlaps(x0 - 2, y0 - 2, x0 + 0.7 * size + 2, y0 + size + 2, avoid)) {
                return strokes(letter, x0, y0, size);
            }
        }
        return List.of();
    }

    private static boolean overlaps(double x0, double y0, double x1, double y1, List<FindingBox> boxes) {
        for (FindingBox b : boxes) {
            if (x0 < b.xMax() && b.xMin() < x1 && y0 < b.yMax() && b.yMin() < y1) {
                return true;
            }
        }
        return false;
    }

    private static List<Capsule> strokes(char letter, double x, double y, double s) {
        double r = Math.max(0.8, 0.08 * s);
        List<Capsule> out = new ArrayList<>();
        out.add(Capsule.of(x, y, x, y + s, r));
        if (letter == 'L') {
            out.add(Capsule.of(x, y + s, x + 0.6 * s, y + s, r));
            return out;
        }
        double[][] bowl = {{0, 0}, {0.38, 0}, {0.55, 0.12}, {0.55, 0.33}, {0.38, 0.46}, {0, 0.46}};
        for (int i = 0; i + 1 < bowl.length; i++) {
            out.add(Capsule.of(x + bowl[i][0] * s, y + bowl[i][1] * s, x + bowl[i + 1][0] * s,
                    y + bowl[i + 1][1] * s, r));
        }
        out.add(Capsule.of(x + 0.22 * s, y + 0.46 * s, x + 0.62 * s, y + s, r));
        return out;
    }
}
