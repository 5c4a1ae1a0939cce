package org.bonexray.data.dicom;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Renders monochrome stored values to 8-bit levels, as a display would (PS3.3 C.11, PS3.4 N.2): the modality
 * transform (Modality LUT Sequence, else Rescale Slope and Intercept), then the VOI transform (VOI LUT Sequence,
 * else the first Window Center/Width with its VOI LUT Function, else the full range of the rescaled values Bits
 * Stored can hold, so an 8-bit image without a window keeps its levels exactly), rounding to [0, 255], and
 * MONOCHROME1 inversion last. The result is what the model's preprocessing then treats like a PNG's 8-bit levels.
 */
final class GrayscaleRendering {
    private static final int MAX_TABLE = 1 << 17;

    private final DoubleUnaryOperator modality;
    private final DoubleUnaryOperator voi;
    private final boolean inverted;

    private GrayscaleRendering(DoubleUnaryOperator modality, DoubleUnaryOperator voi, boolean inverted) {
        this.modality = modality;
        this.voi = voi;
        this.inverted = inverted;
    }

    static GrayscaleRendering of(DataSet ds, PixelModule m) {
        double storedMin = m.signed() ? -(1 << (m.bitsStored() - 1)) : 0;
        double storedMax = m.signed() ? (1 << (m.bitsStored() - 1)) - 1 : (1 << m.bitsStored()) - 1;
        List<DataSet> modalityLuts = ds.items(Tags.MODALITY_LUT_SEQUENCE);
        DoubleUnaryOperator modality;
        double low;
        double high;
        if (!modalityLuts.isEmpty()) {
            Lut lut = Lut.of(modalityLuts.get(0), m.signed());
            modality = lut::apply;
            low = 0;
            high = lut.maxOutput();
        } else {
            double slope = orDefault(ds.decimal(Tags.RESCALE_SLOPE, 0), 1);
            double intercept = orDefault(ds.decimal(Tags.RESCALE_INTERCEPT, 0), 0);
            if (slope == 0) {
                throw DicomException.corrupt(ds.file(), "Rescale Slope is 0");
            }
            modality = x -> x * slope + intercept;
            low = Math.min(storedMin * slope, storedMax * slope) + intercept;
            high = Math.max(storedMin * slope, storedMax * slope) + intercept;
        }
        return new GrayscaleRendering(modality, voi(ds, m, low, high), m.inverted());
    }

    private static DoubleUnaryOperator voi(DataSet ds, PixelModule m, double low, double high) {
        List<DataSet> voiLuts = ds.items(Tags.VOI_LUT_SEQUENCE);
        if (!voiLuts.isEmpty()) {
            Lut lut = Lut.of(voiLuts.get(0), m.signed() || low < 0);
            double scale = VoiWindow.LEVELS / lut.maxOutput();
            return x -> lut.apply(x) * scale;
        }
        VoiWindow window = VoiWindow.of(ds);
        if (window != null) {
            return window::apply;
        }
        double span = high > low ? high - low : 1;
        return x -> (x - low) / span * VoiWindow.LEVELS;
    }

    /** 8-bit levels of the stored values, one per pixel, through a table over the values present. */
    byte[] render(int[] stored) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int v : stored) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        byte[] out = new byte[stored.length];
        if ((long) max - min + 1 > MAX_TABLE) {
            for (int i = 0; i < stored.length; i++) {
                out[i] = (byte) level(stored[i]);
            }
            return out;
        }
        byte[] table = new byte[max - min + 1];
        for (int v = min; v <= max; v++) {
            table[v - min] = (byte) level(v);
        }
        for (int i = 0; i < stored.length; i++) {
            out[i] = table[stored[i] - min];
        }
        return out;
    }

    int level(int stored) {
        double y = voi.applyAsDouble(modality.applyAsDouble(stored));
        int l = (int) Math.max(0, Math.min(255, Math.round(y)));
        return inverted ? 255 - l : l;
    }

    private static double orDefault(Double v, double fallback) {
        return v == null ? fallback : v;
    }
}
