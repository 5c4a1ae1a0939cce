package org.bonexray.data.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws an X-ray attenuation map: each capsule is a cylinder seen side-on, so the path length through it
 * gives soft tissue a smooth halo and bone a bright cortex rim around darker marrow; overlapping bones add
 * up as on film. Values are in canonical units, so exposure does not depend on the image size.
 */
final class RadiographRenderer {
    static final double CORTEX = 16;
    static final double MARROW = 3.5;
    static final double SOFT = 0.8;
    static final double METAL = 7;

    private final int width;
    private final int height;
    private final double scale;
    private final float[] attenuation;
    private final double[] q = new double[2];
    private float[] texture;

    RadiographRenderer(int width, int height, double scale) {
        this.width = width;
        this.height = height;
        this.scale = scale;
        this.attenuation = new float[width * height];
    }

    /** The attenuation map of an anatomy (pixel coordinates) with its findings and metal markers. */
    float[] render(Anatomy anatomy, List<PlacedFinding> findings, List<Capsule> markers, SplittableRandom rng) {
        texture = BoneTexture.make(width, height, scale, rng);
        drawSoftTissue(anatomy.softTissue());
        for (int i = 0; i < anatomy.bones().size(); i++) {
            drawBone(i, anatomy.bones().get(i), findings);
        }
        for (PlacedFinding f : findings) {
            if (f instanceof PlacedFinding.Hardware h) {
                drawMetal(h.parts());
            }
        }
        drawMetal(markers);
        return attenuation;
    }

    /** Soft tissue merges by maximum, so each capsule only visits its own box of a scratch layer. */
    private void drawSoftTissue(List<Capsule> parts) {
        float[] layer = new float[attenuation.length];
        for (Capsule c : parts) {
            int[] box = clip(c.bounds());
            for (int y = box[1]; y < box[3]; y++) {
                for (int x = box[0]; x < box[2]; x++) {
                    c.normalizedDistance(x + 0.5, y + 0.5, q);
                    if (q[0] < 1) {
                        float v = (float) (2 * q[1] / scale * SOFT * Math.sqrt(1 - q[0]));
                        int i = y * width + x;
                        layer[i] = Math.max(layer[i], v);
                    }
                }
            }
        }
        for (int i = 0; i < layer.length; i++) {
            attenuation[i] += layer[i];
        }
    }

    private void drawBone(int index, Bone bone, List<PlacedFinding> all) {
        PlacedFinding.Fracture fracture = null;
        List<PlacedFinding.Lesion> lesions = new ArrayList<>();
        double pad = 0;
        for (PlacedFinding f : all) {
            if (f instanceof PlacedFinding.Fracture fr && fr.bone() == index) {
                fracture = fr;
                pad = Math.hypot(fr.shiftX(), fr.shiftY());
            } else if (f instanceof PlacedFinding.Lesion l && l.bone() == index) {
                lesions.add(l);
            }
        }
        double[] bounds = union(bone.parts(), pad);
        for (PlacedFinding.Lesion l : lesions) {
            bounds = merge(bounds, l.bounds());
        }
        int[] box = clip(bounds);
        Capsule[] parts = bone.parts().toArray(new Capsule[0]);
        double k2 = bone.marrowRatio() * bone.marrowRatio();
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                double value;
                if (fracture != null && (px - fracture.centerX()) * fracture.axisX()
                        + (py - fracture.centerY()) * fracture.axisY() > 0) {
                    value = boneValue(parts, k2, px - fracture.shiftX(), py - fracture.shiftY());
                } else {
                    value = boneValue(parts, k2, px, py);
                }
                if (fracture != null && value > 0) {
                    value *= gapFactor(fracture, px, py);
                }
                for (PlacedFinding.Lesion l : lesions) {
                    value = lesionValue(l, value, px, py);
                }
                attenuation[y * width + x] += (float) (value * bone.density() * texture[y * width + x]);
            }
        }
    }

    /** The bone's attenuation at (x, y) before its density: the strongest of its capsules. */
    private double boneValue(Capsule[] parts, double k2, double x, double y) {
        double best = 0;
        for (Capsule c : parts) {
            c.normalizedDistance(x, y, q);
            if (q[0] < 1) {
                double q2 = q[0];
                double outer = Math.sqrt(1 - q2);
                double inner = q2 < k2 ? Math.sqrt(k2 - q2) : 0;
                best = Math.max(best, 2 * q[1] / scale * (CORTEX * (outer - inner) + MARROW * inner));
            }
        }
        return best;
    }

    /** Darkens the fracture gap: nearly empty on the jagged line, fading over its half-width. */
    private static double gapFactor(PlacedFinding.Fracture f, double x, double y) {
        double best = Double.MAX_VALUE;
        double[] xs = f.lineX();
        double[] ys = f.lineY();
        for (int i = 0; i + 1 < xs.length; i++) {
            best = Math.min(best, segmentDistance(x, y, xs[i], ys[i], xs[i + 1], ys[i + 1]));
        }
        if (best >= f.halfWidth()) {
            return 1;
        }
        double t = best / f.halfWidth();
        return 1 - 0.9 * (1 - t * t);
    }

    private double lesionValue(PlacedFinding.Lesion l, double value, double x, double y) {
        double dx = x - l.centerX();
        double dy = y - l.centerY();
        double d = Math.sqrt(dx * dx + dy * dy) / l.radius();
        if (d >= 1) {
            return value;
        }
        double profile = Math.sqrt(1 - d * d);
        if (l.lucent()) {
            return value * (1 - 0.8 * Math.min(1, 1.7 * profile));
        }
        return value + 2 * l.radius() / scale * CORTEX * 0.3 * profile;
    }

    private void drawMetal(List<Capsule> list) {
        if (list.isEmpty()) {
            return;
        }
        Capsule[] parts = list.toArray(new Capsule[0]);
        int[] box = clip(union(list, 1));
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                double best = 0;
                for (Capsule c : parts) {
                    c.normalizedDistance(x + 0.5, y + 0.5, q);
                    // Anti-aliased flat edge: metal is uniformly dense, unlike the tubular bone.
                    best = Math.max(best, Math.min(1, Math.max(0, (1 - Math.sqrt(q[0])) * q[1] + 0.5)));
                }
                attenuation[y * width + x] += (float) (METAL * best);
            }
        }
    }

    private static double segmentDistance(double x, double y, double ax, double ay, double bx, double by) {
        double ux = bx - ax;
        double uy = by - ay;
        double len2 = ux * ux + uy * uy;
        double t = len2 < 1e-12 ? 0 : Math.max(0, Math.min(1, ((x - ax) * ux + (y - ay) * uy) / len2));
        double dx = x - ax - t * ux;
        double dy = y - ay - t * uy;
        return Math.sqrt(dx * dx + dy * dy);
    }

    private static double[] union(List<Capsule> parts, double pad) {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (Capsule c : parts) {
            b = merge(b, c.bounds());
        }
        return new double[] {b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad};
    }

    private static double[] merge(double[] a, double[] b) {
        return new double[] {Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])};
    }

    /** Pixel range {x0, y0, x1, y1} (end exclusive) of bounds, clipped to the image. */
    private int[] clip(double[] b) {
        return new int[] {Math.max(0, (int) Math.floor(b[0])), Math.max(0, (int) Math.floor(b[1])),
                Math.min(width, (int) Math.ceil(b[2]) + 1), Math.min(height, (int) Math.ceil(b[3]) + 1)};
    }
}
