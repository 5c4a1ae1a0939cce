package org.bonexray.data.sample;

/**
 * Maps canonical anatomy coordinates (the region of interest spans about -0.5..0.5, y pointing down) to an
 * image's pixels: optional left-right mirror, rotation, uniform scale, then translation to the centre.
 */
record ViewTransform(double centerX, double centerY, double scale, double angle, boolean mirror) {

    double x(double u, double v) {
        double mu = mirror ? -u : u;
        return centerX + scale * (Math.cos(angle) * mu - Math.sin(angle) * v);
    }

    double y(double u, double v) {
        double mu = mirror ? -u : u;
        return centerY + scale * (Math.sin(angle) * mu + Math.cos(angle) * v);
    }
}
