package org.bonexray.explain;

/**
 * Colour maps from [0, 1] to RGB by linear interpolation between evenly spaced anchor colours.
 *
 * <p>{@link #INFERNO} uses nine anchors read from matplotlib's {@code inferno} (at 0, 1/8, ..., 1): close to
 * the original, monotonic in lightness, readable in greyscale and by colour-blind readers, unlike jet.
 */
public enum Colormap {
    /** Black, purple, red, orange, pale yellow. */
    INFERNO(new int[] {0x000004, 0x1f0c48, 0x550f6d, 0x88226a, 0xba3655, 0xe35933, 0xf98e09, 0xf6d746, 0xfcffa4});

    private final int[] anchors;

    Colormap(int[] anchors) {
        this.anchors = anchors;
    }

    /**
     * The colour of a value.
     *
     * @param value in [0, 1]; clamped, NaN counts as 0
     * @return 0xRRGGBB
     */
    public int rgb(double value) {
        double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
        double pos = v * (anchors.length - 1);
        int lo = Math.min((int) Math.floor(pos), anchors.length - 2);
        double f = pos - lo;
        int a = anchors[lo];
        int b = anchors[lo + 1];
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double c = ((a >> shift) & 0xff) * (1 - f) + ((b >> shift) & 0xff) * f;
            rgb |= (int) Math.round(c) << shift;
        }
        return rgb;
    }
}
