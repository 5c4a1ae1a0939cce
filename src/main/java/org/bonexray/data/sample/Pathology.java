package org.bonexray.data.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A study-level finding in canonical units: which bone, where along its shaft, and its shape. Every view of
 * the study places the same finding on its own projection of that bone, as a radiologist would see one
 * fracture from several angles. Sizes are fractions of the image scale, chosen so that a finding spans about
 * 5-20% of the image side and survives downscaling to 64 px.
 */
record Pathology(FindingType type, int bone, double along, double across, double angle, double size,
                 double extent, double shift, boolean flag, double[] jag) {

    /**
     * Draws a finding on one of the anatomy's finding-site bones. Fracture gaps and lesions are sized to stay a
     * few pixels wide after the demo's downscaling to 96 px, so that a small network learns them in minutes.
     */
    static Pathology draw(FindingType type, Anatomy canonical, SplittableRandom rng) {
        List<Integer> sites = new ArrayList<>();
        for (int i = 0; i < canonical.bones().size(); i++) {
            if (canonical.bones().get(i).findingSite()) {
                sites.add(i);
            }
        }
        int bone = sites.get(rng.nextInt(sites.size()));
        double[] jag = new double[7];
        for (int i = 0; i < jag.length; i++) {
            jag[i] = rng.nextDouble() * 2 - 1;
        }
        return switch (type) {
            case FRACTURE -> new Pathology(type, bone, 0.25 + 0.5 * rng.nextDouble(), 0,
                    Math.toRadians(rng.nextDouble() * 50 - 25), 0.036 + 0.014 * rng.nextDouble(), 1.2,
                    0.35 + 0.3 * rng.nextDouble(), rng.nextBoolean(), jag);
            case HARDWARE -> new Pathology(type, bone, 0.3 + 0.4 * rng.nextDouble(), 0.6, 0,
                    0.03 + 0.012 * rng.nextDouble(), 0.09 + 0.06 * rng.nextDouble(), 0, rng.nextBoolean(),
                    new double[] {2 + rng.nextInt(3)});
            case LESION -> new Pathology(type, bone, 0.2 + 0.6 * rng.nextDouble(), rng.nextDouble() * 0.6 - 0.3,
                    0, 0.045 + 0.03 * rng.nextDouble(), 0, 0, rng.nextBoolean(), jag);
        };
    }

    /** This finding on a view's anatomy (pixel coordinates) drawn at {@code scale} pixels per canonical unit. */
    PlacedFinding place(Anatomy pixels, double scale) {
        Capsule shaft = pixels.bones().get(bone).shaft();
        double[] c = shaft.pointAt(along);
        double[] d = shaft.direction();
        double nx = -d[1];
        double ny = d[0];
        double r = shaft.ra() + along * (shaft.rb() - shaft.ra());
        double sign = flag ? 1 : -1;
        return switch (type) {
            case FRACTURE -> fracture(c, nx, ny, r, sign, scale);
            case HARDWARE -> hardware(c, d, nx, ny, r, sign, scale);
            case LESION -> new PlacedFinding.Lesion(bone, c[0] + nx * across * r, c[1] + ny * across * r,
                    size * scale, flag);
        };
    }

    private PlacedFinding fracture(double[] c, double nx, double ny, double r, double sign, double scale) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double lx = cos * nx - sin * ny;
        double ly = sin * nx + cos * ny;
        double halfWidth = size * scale / 2;
        double[] xs = new double[jag.length];
        double[] ys = new double[jag.length];
        for (int i = 0; i < jag.length; i++) {
            double s = (2.0 * i / (jag.length - 1) - 1) * extent * r;
            double off = jag[i] * halfWidth * 1.6;
            xs[i] = c[0] + lx * s + ly * off;
            ys[i] = c[1] + ly * s - lx * off;
        }
        return new PlacedFinding.Fracture(bone, c[0], c[1], ly, -lx, nx * shift * r * sign, ny * shift * r * sign,
                xs, ys, halfWidth);
    }

    private PlacedFinding hardware(double[] c, double[] d, double nx, double ny, double r, double sign,
                                   double scale) {
        double half = extent * scale / 2;
        double width = size * scale / 2;
        double px = c[0] + nx * across * r * sign;
        double py = c[1] + ny * across * r * sign;
        List<Capsule> parts = new ArrayList<>();
        parts.add(Capsule.of(px - d[0] * half, py - d[1] * half, px + d[0] * half, py + d[1] * half, width));
        int screws = (int) jag[0];
        double screwRadius = Math.max(1.0, 0.006 * scale);
        for (int i = 0; i < screws; i++) {
            double t = screws == 1 ? 0 : (2.0 * i / (screws - 1) - 1) * 0.75;
            double sx = px + d[0] * half * t;
            double sy = py + d[1] * half * t;
            double reach = r * (1 + across) + width;
            parts.add(Capsule.of(sx, sy, sx - nx * reach * sign, sy - ny * reach * sign, screwRadius));
            parts.add(Capsule.of(sx, sy, sx, sy, width * 0.75));
        }
        return new PlacedFinding.Hardware(parts);
    }
}
