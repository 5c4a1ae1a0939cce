package org.bonexray.data.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where one view puts the anatomy (position, rotation, scale, mirror) and where its findings land, with
 * their recorded boxes. Poses that would push a finding mostly out of the image are redrawn, so a recorded
 * box always shows its finding.
 */
record ViewPose(ViewTransform transform, Anatomy anatomy, List<PlacedFinding> findings, List<FindingBox> boxes) {
    /** A box must keep this share of its area inside the image. */
    private static final double MIN_VISIBLE = 0.7;
    /** Boxes are at least this share of the shorter image side, so tiny findings still get a usable box. */
    private static final double MIN_BOX = 0.05;

    static ViewPose choose(Anatomy canonical, List<Pathology> pathologies, int w, int h, SplittableRandom rng,
                           int attempts) {
        int shortSide = Math.min(w, h);
        double base = w > h ? (rng.nextBoolean() ? 1 : -1) * Math.PI / 2 : 0;
        boolean mirror = rng.nextBoolean();
        for (int i = 0; i < attempts; i++) {
            double angle = base + Math.max(-0.4, Math.min(0.4, 0.2 * rng.nextGaussian()));
            double scale = Math.max(w, h) * (0.85 + 0.2 * rng.nextDouble());
            double cx = w / 2.0 + (rng.nextDouble() - 0.5) * 0.14 * shortSide;
            double cy = h / 2.0 + (rng.nextDouble() - 0.5) * 0.14 * shortSide;
            ViewPose pose = place(canonical, pathologies, new ViewTransform(cx, cy, scale, angle, mirror), w, h,
                    MIN_VISIBLE);
            if (pose != null) {
                return pose;
            }
        }
        // No random pose showed every finding (a narrow image, a finding near the anatomy's edge): centre the
        // first finding instead, so an abnormal view never loses its finding.
        ViewTransform centred = new ViewTransform(w / 2.0, h / 2.0, Math.max(w, h) * 0.85, base, mirror);
        if (!pathologies.isEmpty()) {
            double[] b = pathologies.get(0).place(canonical.map(centred), centred.scale()).bounds();
            centred = new ViewTransform(w - (b[0] + b[2]) / 2, h - (b[1] + b[3]) / 2, centred.scale(), base, mirror);
        }
        return place(canonical, pathologies, centred, w, h, 0);
    }

    /** The pose under {@code t}, or null when a finding would keep less than {@code minVisible} of its box. */
    private static ViewPose place(Anatomy canonical, List<Pathology> pathologies, ViewTransform t, int w, int h,
                                  double minVisible) {
        Anatomy pixels = canonical.map(t);
        List<PlacedFinding> findings = new ArrayList<>();
        List<FindingBox> boxes = new ArrayList<>();
        for (Pathology p : pathologies) {
            PlacedFinding f = p.place(pixels, t.scale());
            double[] b = f.bounds();
            double area = (b[2] - b[0]) * (b[3] - b[1]);
            double[] c = {Math.max(0, b[0]), Math.max(0, b[1]), Math.min(w, b[2]), Math.min(h, b[3])};
            double inside = Math.max(0, c[2] - c[0]) * Math.max(0, c[3] - c[1]);
            if (inside <= 0 || inside < minVisible * area) {
                if (minVisible > 0) {
                    return null;
                }
                continue;
            }
            findings.add(f);
            boxes.add(box(f.type(), c, w, h));
        }
        return new ViewPose(t, pixels, findings, boxes);
    }

    /** The integer box of clipped bounds, grown about its centre to the minimum size, inside the image. */
    private static FindingBox box(FindingType type, double[] c, int w, int h) {
        double min = MIN_BOX * Math.min(w, h);
        double[] b = c.clone();
        for (int axis = 0; axis < 2; axis++) {
            double extent = b[axis + 2] - b[axis];
            if (extent < min) {
                double mid = (b[axis] + b[axis + 2]) / 2;
                b[axis] = mid - min / 2;
                b[axis + 2] = mid + min / 2;
            }
        }
        int x0 = Math.max(0, (int) Math.floor(b[0]));
        int y0 = Math.max(0, (int) Math.floor(b[1]));
        int x1 = Math.min(w, (int) Math.ceil(b[2]));
        int y1 = Math.min(h, (int) Math.ceil(b[3]));
        return new FindingBox(type, x0, y0, Math.max(x1, x0 + 1), Math.max(y1, y0 + 1));
    }
}
