package org.bonexray.data.dicom;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A VOI window (PS3.3 C.11.2.1.2): Window Center and Width with the VOI LUT Function, mapping a modality value to
 * [0, 255] before rounding.
 *
 * @param center   Window Center
 * @param width    Window Width
 * @param function LINEAR (the default), LINEAR_EXACT or SIGMOID
 */
record VoiWindow(double center, double width, String function) {
    static final double LEVELS = 255;

    /** The first window of the data set, null when it has none. */
    static VoiWindow of(DataSet ds) {
        Double center = ds.decimal(Tags.WINDOW_CENTER, 0);
        Double width = ds.decimal(Tags.WINDOW_WIDTH, 0);
        if (center == null && width == null) {
            return null;
        }
        Path file = ds.file();
        if (center == null || width == null) {
            throw DicomException.corrupt(file, "a Window " + (center == null ? "Width without its Center" : "Center without its Width"));
        }
        String function = ds.string(Tags.VOI_LUT_FUNCTION);
        function = function == null || function.isEmpty() ? "LINEAR" : function.toUpperCase(Locale.ROOT);
        boolean linear = "LINEAR".equals(function);
        if (!linear && !"LINEAR_EXACT".equals(function) && !"SIGMOID".equals(function)) {
            throw DicomException.unsupported(file, "VOI LUT Function " + function + " (LINEAR, LINEAR_EXACT and SIGMOID are read)");
        }
        if (linear ? width < 1 : width <= 0) {
            throw DicomException.corrupt(file, "Window Width " + width + " is not valid for " + function);
        }
        return new VoiWindow(center, width, function);
    }

    /** The output level in [0, 255], not yet rounded. */
    double apply(double x) {
        switch (function) {
            case "SIGMOID":
                return LEVELS / (1 + Math.exp(-4 * (x - center) / width));
            case "LINEAR_EXACT":
                if (x <= center - width / 2) {
                    return 0;
                }
                return x > center + width / 2 ? LEVELS : ((x - center) / width + 0.5) * LEVELS;
            default:
                double low = center - 0.5 - (width - 1) / 2;
                double high = center - 0.5 + (width - 1) / 2;
                if (x <= low) {
                    return 0;
                }
                if (x > high || width == 1) {
                    return LEVELS;
                }
                return ((x - (center - 0.5)) / (width - 1) + 0.5) * LEVELS;
        }
    }
}
