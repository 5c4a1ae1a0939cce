package org.bonexray.data.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bonexray.data.BodyPart;

/**
 * Builds a plausible canonical anatomy per body part. Patient proportions (bone length, width, density)
 * come from a generator re-created for every view, so all views of a study show the same patient; the bone
 * list is in the same order for every view so a study's finding can name its bone by index.
 */
final class AnatomyFactory {
    private final double width;
    private final double density;
    private final boolean lateral;
    private final SplittableRandom view;
    private final SplittableRandom patient;
    private final List<Bone> bones = new ArrayList<>();
    private final List<Capsule> soft = new ArrayList<>();

    private AnatomyFactory(long patientSeed, boolean lateral, SplittableRandom view) {
        this.patient = new SplittableRandom(patientSeed);
        this.width = 0.85 + 0.3 * patient.nextDouble();
        this.density = 0.85 + 0.3 * patient.nextDouble();
        this.lateral = lateral;
        this.view = view;
    }

    /** The anatomy of one view: {@code lateral} views overlap paired bones and bend joints. */
    static Anatomy build(BodyPart part, long patientSeed, boolean lateral, SplittableRandom view) {
        AnatomyFactory f = new AnatomyFactory(patientSeed, lateral, view);
        switch (part) {
            case FOREARM -> f.forearm();
            case HUMERUS -> f.humerus();
            case ELBOW -> f.elbow();
            case WRIST -> f.wrist();
            case HAND -> f.hand();
            case FINGER -> f.finger();
            case SHOULDER -> f.shoulder();
            default -> throw new IllegalArgumentException("no anatomy for " + part);
        }
        return new Anatomy(f.bones, f.soft);
    }

    private void forearm() {
        double gap = lateral ? 0.03 : 0.085;
        longBone(-gap, -0.44, -gap * 0.6, 0.47, 0.04, 0.032, 1.5, 1.3, true);
        longBone(gap, -0.40, gap * 1.1, 0.50, 0.028, 0.038, 1.2, 1.5, true);
        for (int i = 0; i < 3; i++) {
            smallBone(-0.09 + 0.07 * i, -0.56, 0.03);
        }
        softTube(0, -0.65, 0, 0.65, 0.19, 0.22);
    }

    private void humerus() {
        double side = lateral ? -0.02 : 0.04;
        List<Capsule> parts = new ArrayList<>();
        parts.add(cap(0, -0.36, 0.01, 0.40, 0.055, 0.05));
        parts.add(cap(side, -0.44, side, -0.44, 0.1, 0.1));
        parts.add(cap(0.005, 0.3, 0.01, 0.42, 0.055, 0.08));
        parts.add(lateral ? cap(0.01, 0.46, 0.01, 0.46, 0.06, 0.06) : cap(-0.09, 0.46, 0.1, 0.46, 0.045, 0.045));
        addBone(parts, 0.6, 1.0, true);
        smallBone(-0.2, -0.46, 0.045);
        longBone(-0.05, 0.56, -0.06, 0.75, 0.03, 0.03, 1.3, 1.0, false);
        softTube(0, -0.6, 0, 0.65, 0.24, 0.2);
    }

    private void elbow() {
        List<Capsule> humerus = new ArrayList<>();
        humerus.add(cap(0, -0.62, 0, -0.12, 0.05, 0.055));
        humerus.add(cap(0, -0.2, 0, -0.06, 0.06, lateral ? 0.07 : 0.1));
        humerus.add(lateral ? cap(0, -0.03, 0, -0.03, 0.085, 0.085) : cap(-0.13, -0.05, 0.12, -0.04, 0.045, 0.055));
        addBone(humerus, 0.6, 1.0, true);
        double flex = lateral ? Math.toRadians(70 + 25 * view.nextDouble()) : Math.toRadians(4 * view.nextGaussian());
        double[] r1 = pivot(-0.07, 0.1, flex);
        double[] r2 = pivot(-0.09, 0.62, flex);
        longBone(r1[0], r1[1], r2[0], r2[1], 0.033, 0.03, 1.35, 1.0, true);
        double[] u1 = pivot(0.05, 0.04, flex);
        double[] u2 = pivot(0.07, 0.62, flex);
        longBone(u1[0], u1[1], u2[0], u2[1], 0.04, 0.03, 1.5, 1.0, true);
        softTube(0, -0.7, 0, 0.0, 0.2, 0.2);
        double[] f1 = pivot(0, 0.0, flex);
        double[] f2 = pivot(0, 0.7, flex);
        softTube(f1[0], f1[1], f2[0], f2[1], 0.19, 0.17);
    }

    private void wrist() {
        double squeeze = lateral ? 0.35 : 1.0;
        longBone(-0.06 * squeeze, 0.7, -0.07 * squeeze, 0.12, 0.05, 0.055, 1.0, 1.55, true);
        longBone(0.1 * squeeze, 0.7, 0.1 * squeeze, 0.17, 0.028, 0.03, 1.0, 1.4, true);
        double[] rowX = {-0.14, -0.05, 0.04, 0.12};
        for (double x : rowX) {
            smallBone((x + jitter(0.012)) * squeeze, 0.01 + jitter(0.015), 0.042 + jitter(0.008));
            smallBone((x - 0.01 + jitter(0.012)) * squeeze, -0.12 + jitter(0.015), 0.038 + jitter(0.008));
        }
        for (int i = 0; i < 4; i++) {
            double x = (-0.12 + 0.08 * i) * (lateral ? 0.2 : 1.0);
            double tilt = (i - 1.5) * 0.04;
            longBone(x, -0.21, x + tilt, -0.68, 0.027, 0.024, 1.3, 1.0, true);
        }
        longBone(-0.19 * squeeze, -0.14, -0.33 * squeeze, -0.42, 0.026, 0.024, 1.3, 1.2, false);
        softTube(0, 0.75, 0, -0.75, 0.24, 0.22);
    }

    private void hand() {
        double spread = lateral ? 0.25 : 1.0;
        for (int i = 0; i < 4; i++) {
            smallBone((-0.1 + 0.065 * i + jitter(0.01)) * spread, 0.33 + jitter(0.015), 0.035 + jitter(0.006));
        }
        longBone(-0.05 * spread, 0.72, -0.06 * spread, 0.45, 0.04, 0.045, 1.0, 1.4, false);
        for (int i = 0; i < 4; i++) {
            double x = (-0.11 + 0.075 * i) * spread;
            double angle = Math.toRadians((-12 + 8 * i) * spread + 2 * view.nextGaussian());
            finger(x, 0.26, angle, new double[] {0.27, 0.17, 0.11, 0.08}, new double[] {0.026, 0.024, 0.02, 0.017});
        }
        double thumb = Math.toRadians(lateral ? -25 : -45);
        finger(-0.16 * spread, 0.3, thumb, new double[] {0.2, 0.13, 0.09}, new double[] {0.026, 0.023, 0.019});
        softTube(0, 0.7, 0, 0.0, 0.21, 0.2);
    }

    private void finger() {
        double flex = lateral ? Math.toRadians(8 + 10 * view.nextDouble()) : 0;
        double y = 0.95;
        double[] lengths = {0.5, 0.38, 0.24, 0.16};
        double[] radii = {0.065, 0.058, 0.05, 0.044};
        double x = 0;
        double angle = 0;
        for (int i = 0; i < lengths.length; i++) {
            double ex = x + Math.sin(angle) * lengths[i];
            double ey = y - Math.cos(angle) * lengths[i];
            longBone(x, y, ex, ey, radii[i], radii[i] * 0.85, i == 0 ? 1.0 : 1.3, i == 3 ? 1.2 : 1.35, i > 0);
            x = ex + Math.sin(angle) * 0.05;
            y = ey - Math.cos(angle) * 0.05;
            angle += flex;
        }
        soft.add(cap(0, 0.95, x, y, 0.13, 0.1));
        double side = lateral ? 0.42 : 0.36;
        longBone(side, 0.95, side + 0.05, 0.2, 0.05, 0.045, 1.0, 1.3, false);
        softTube(side, 0.95, side + 0.06, 0.1, 0.11, 0.1);
    }

    private void shoulder() {
        double turn = lateral ? 0.15 : 0.0;
        List<Capsule> humerus = new ArrayList<>();
        humerus.add(cap(0.12 + turn, 0.02, 0.16 + turn, 0.75, 0.07, 0.065));
        humerus.add(cap(0.06 + turn, -0.08, 0.06 + turn, -0.08, 0.125, 0.125));
        humerus.add(cap(0.16 + turn, -0.12, 0.17 + turn, 0.0, 0.06, 0.06));
        addBone(humerus, 0.6, 1.0, true);
        bones.add(new Bone(List.of(cap(-0.16, 0.0, -0.36, 0.6, 0.13, 0.07)), 0.93, 0.35 * density, false));
        bones.add(new Bone(List.of(cap(-0.1, -0.18, -0.11, 0.06, 0.035, 0.035)), 0.6, density, false));
        longBone(-0.14, -0.29, 0.17, -0.27, 0.033, 0.03, 1.0, 1.2, false);
        longBone(-0.62, -0.38, 0.06, -0.33, 0.04, 0.035, 1.2, 1.2, true);
        for (int i = 0; i < 4; i++) {
            double y = -0.15 + 0.2 * i;
            bones.add(new Bone(List.of(cap(-0.75, y, -0.4, y + 0.08, 0.016, 0.016),
                    cap(-0.4, y + 0.08, -0.28, y + 0.2, 0.016, 0.016)), 0.7, 0.4 * density, false));
        }
        softTube(-0.7, 0.25, 0.25, 0.25, 0.55, 0.55);
        softTube(0.15, 0.1, 0.2, 0.85, 0.22, 0.2);
    }

    /** A patient-specific offset, uniform in [-amount, amount]. */
    private double jitter(double amount) {
        return (patient.nextDouble() * 2 - 1) * amount;
    }

    /** One finger's chain of bones from its base along {@code angle} (0 points up). */
    private void finger(double x, double y, double angle, double[] lengths, double[] radii) {
        double cx = x;
        double cy = y;
        for (int i = 0; i < lengths.length; i++) {
            double ex = cx + Math.sin(angle) * lengths[i];
            double ey = cy - Math.cos(angle) * lengths[i];
            longBone(cx, cy, ex, ey, radii[i], radii[i] * 0.85, 1.3, 1.25, radii[i] >= 0.022);
            cx = ex + Math.sin(angle) * 0.018;
            cy = ey - Math.cos(angle) * 0.018;
        }
        soft.add(cap(x, y, cx, cy, 0.045, 0.035));
    }

    /** A shaft with flared, rounded ends ({@code endA}/{@code endB} times the shaft radius). */
    private void longBone(double ax, double ay, double bx, double by, double ra, double rb,
                          double endA, double endB, boolean site) {
        Capsule shaft = cap(ax, ay, bx, by, ra, rb);
        double[] d = shaft.direction();
        List<Capsule> parts = new ArrayList<>();
        parts.add(shaft);
        if (endA > 1) {
            parts.add(cap(ax + d[0] * ra * 0.5, ay + d[1] * ra * 0.5, ax + d[0] * ra * 1.5, ay + d[1] * ra * 1.5,
                    ra * endA, ra * endA * 0.8));
        }
        if (endB > 1) {
            parts.add(cap(bx - d[0] * rb * 0.5, by - d[1] * rb * 0.5, bx - d[0] * rb * 1.5, by - d[1] * rb * 1.5,
                    rb * endB, rb * endB * 0.8));
        }
        addBone(parts, 0.58, 1.0, site);
    }

    private void smallBone(double x, double y, double r) {
        bones.add(new Bone(List.of(cap(x - r * 0.3, y, x + r * 0.3, y, r, r)), 0.75, density, false));
    }

    private void addBone(List<Capsule> parts, double marrowRatio, double relativeDensity, boolean site) {
        bones.add(new Bone(parts, marrowRatio, relativeDensity * density, site));
    }

    private void softTube(double ax, double ay, double bx, double by, double ra, double rb) {
        soft.add(cap(ax, ay, bx, by, ra, rb));
    }

    /** A capsule whose radii follow the patient's build. */
    private Capsule cap(double ax, double ay, double bx, double by, double ra, double rb) {
        return new Capsule(ax, ay, bx, by, ra * width, rb * width);
    }

    /** Rotates a point about the elbow's joint centre, to flex the forearm. */
    private static double[] pivot(double x, double y, double angle) {
        double px = 0;
        double py = 0.0;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {px + c * (x - px) - s * (y - py), py + s * (x - px) + c * (y - py)};
    }
}
