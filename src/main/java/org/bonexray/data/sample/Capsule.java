package org.bonexray.data.sample;

/**
 * A tapered tube with round ends, from {@code a} (radius {@code ra}) to {@code b} (radius {@code rb}): the one
 * shape the synthetic anatomy is built from (a zero-length capsule is a ball, a short wide one a carpal bone).
 */
record Capsule(double ax, double ay, double bx, double by, double ra, double rb) {

    Capsule {
        if (!(ra > 0 && rb > 0)) {
            throw new IllegalArgumentException("capsule radii must be positive");
        }
    }

    static Capsule of(double ax, double ay, double bx, double by, double r) {
        return new Capsule(ax, ay, bx, by, r, r);
    }

    double length() {
        return Math.hypot(bx - ax, by - ay);
    }

    double meanRadius() {
        return (ra + rb) / 2;
    }

    /** The point at fraction {@code t} from a to b, as {x, y}. */
    double[] pointAt(double t) {
        return new double[] {ax + t * (bx - ax), ay + t * (by - ay)};
    }

    /** The unit direction from a to b, as {x, y}; (0, 1) for a ball. */
    double[] direction() {
        double len = length();
        return len < 1e-9 ? new double[] {0, 1} : new double[] {(bx - ax) / len, (by - ay) / len};
    }

    /**
     * The squared distance from (x, y) to the axis divided by the squared local radius, and that radius,
     * written into {@code out}: below 1 the point is inside. Squared, because callers need 1 - q^2 anyway.
     */
    void normalizedDistance(double x, double y, double[] out) {
        double ux = bx - ax;
        double uy = by - ay;
        double len2 = ux * ux + uy * uy;
        double t = len2 < 1e-12 ? 0 : ((x - ax) * ux + (y - ay) * uy) / len2;
        t = t < 0 ? 0 : (t > 1 ? 1 : t);
        double dx = x - (ax + t * ux);
        double dy = y - (ay + t * uy);
        double r = ra + t * (rb - ra);
        out[0] = (dx * dx + dy * dy) / (r * r);
        out[1] = r;
    }

    /** This capsule under a view transform (radii scale with it). */
    Capsule map(ViewTransform t) {
        return new Capsule(t.x(ax, ay), t.y(ax, ay), t.x(bx, by), t.y(bx, by), ra * t.scale(), rb * t.scale());
    }

    /** The bounding box as {xMin, yMin, xMax, yMax}. */
    double[] bounds() {
        return new double[] {Math.min(ax - ra, bx - rb), Math.min(ay - ra, by - rb),
                Math.max(ax + ra, bx + rb), Math.max(ay + ra, by + rb)};
    }
}
