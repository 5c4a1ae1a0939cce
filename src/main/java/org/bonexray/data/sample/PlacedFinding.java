package org.bonexray.data.sample;

import java.util.List;

/** A study's finding placed in one view's pixels, ready to draw, with its unclipped bounds. */
sealed interface PlacedFinding {

    FindingType type();

    /** {xMin, yMin, xMax, yMax} in pixels, before clipping to the image. */
    double[] bounds();

    /**
     * A break across bone {@code bone}: the part beyond the cut (the side {@code (axisX, axisY)} points to)
     * is shifted by the displacement, and a jagged polyline of half-width {@code halfWidth} darkens the gap.
     */
    record Fracture(int bone, double centerX, double centerY, double axisX, double axisY, double shiftX,
                    double shiftY, double[] lineX, double[] lineY, double halfWidth) implements PlacedFinding {
        @Override
        public FindingType type() {
            return FindingType.FRACTURE;
        }

        @Override
        public double[] bounds() {
            double pad = halfWidth + Math.hypot(shiftX, shiftY);
            double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int i = 0; i < lineX.length; i++) {
                b[0] = Math.min(b[0], lineX[i] - pad);
                b[1] = Math.min(b[1], lineY[i] - pad);
                b[2] = Math.max(b[2], lineX[i] + pad);
                b[3] = Math.max(b[3], lineY[i] + pad);
            }
            return b;
        }
    }

    /** A metal plate and screws: capsules drawn with a flat, very high density. */
    record Hardware(List<Capsule> parts) implements PlacedFinding {
        @Override
        public FindingType type() {
            return FindingType.HARDWARE;
        }

        @Override
        public double[] bounds() {
            double[] b = parts.get(0).bounds();
            for (Capsule c : parts) {
                double[] o = c.bounds();
                b = new double[] {Math.min(b[0], o[0]), Math.min(b[1], o[1]), Math.max(b[2], o[2]),
                        Math.max(b[3], o[3])};
            }
            return b;
        }
    }

    /** A round lesion in bone {@code bone}: lucent ones hollow the bone out, sclerotic ones add density. */
    record Lesion(int bone, double centerX, double centerY, double radius, boolean lucent) implements PlacedFinding {
        @Override
        public FindingType type() {
            return FindingType.LESION;
        }

        @Override
        public double[] bounds() {
            double r = radius * 1.1;
            return new double[] {centerX - r, centerY - r, centerX + r, centerY + r};
        }
    }
}
