package org.bonexray.data.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bonexray.data.BodyPart;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.Radiograph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The generated fixtures: each DICOM form of radiograph.png renders back to its levels, or to its computed ones. */
class DicomFixturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"m2_8bit_explicit.dcm", "m2_8bit_implicit.dcm", "m2_8bit_deflate.dcm",
        "m1_8bit_inverted.dcm", "m2_12bit_rescale_window_highbits.dcm", "m2_16bit_signed_window.dcm",
        "m2_12bit_voi_lut.dcm", "m2_12bit_modality_lut.dcm", "rgb_8bit_interleaved.dcm", "rgb_8bit_planar.dcm",
        "jpeg_lossless_8bit.dcm", "jpeg_lossless_12bit.dcm", "j2k_lossless_12bit_3fragments.dcm", "rle_12bit.dcm"})
    void losslessFormsRenderThePngsLevelsExactly(String name) {
        assertEquals(Fixtures.reference(), Fixtures.decode(name), name);
    }

    /** Computed in numpy from PS3.3's formulas; a rounding tie may land one level apart. */
    @ParameterizedTest
    @CsvSource({"m2_12bit_sigmoid, 1", "m2_12bit_linear_exact, 1", "jpeg_baseline_8bit, 2", "jpeg_extended_8bit, 2",
        "j2k_lossy_8bit, 3"})
    void computedAndLossyFormsMatchTheirExpectedLevels(String name, int tolerance) {
        GrayImage expected = Fixtures.decode(name + ".expected.png");
        GrayImage actual = Fixtures.decode(name + ".dcm");
        assertTrue(Fixtures.maxLevelDifference(expected, actual) <= tolerance,
                name + " differs by " + Fixtures.maxLevelDifference(expected, actual) + " levels");
    }

    @Test
    void windowsOtherThanLinearChangeTheImage() {
        assertTrue(Fixtures.maxLevelDifference(Fixtures.reference(), Fixtures.decode("m2_12bit_sigmoid.dcm")) > 20);
    }

    @Test
    void colourSecondaryCaptureHasThePngsLuminance() {
        assertEquals(Fixtures.decode("rgb_colour_secondary_capture.png"), Fixtures.decode("rgb_colour_secondary_capture.dcm"));
    }

    @Test
    void cmykJpegDecodesThroughTwelveMonkeys() {
        GrayImage cmyk = Fixtures.decode("cmyk.jpg");
        GrayImage naive = Fixtures.decode("cmyk.expected.png");
        assertEquals(64, cmyk.width());
        // TwelveMonkeys converts through a CMYK colour profile, Pillow by plain inversion: same picture, other tones
        assertTrue(correlation(cmyk.pixels(), naive.pixels()) > 0.95, "correlation " + correlation(cmyk.pixels(), naive.pixels()));
    }

    @Test
    void headerNamesTheStudyAndTheBodyPart() {
        Radiograph r = ImageDecoder.STANDARD.readRadiograph(Fixtures.bytes("m2_8bit_explicit.dcm"), "a.dcm");
        DicomHeader h = r.dicom();
        assertEquals("2.25.1177430098101220214.1", h.studyInstanceUid());
        assertEquals("2.25.1177430098101220214.2", h.seriesInstanceUid());
        assertEquals("2.25.1177430098101220214.1001", h.sopInstanceUid());
        assertEquals("DX", h.modality());
        assertEquals("FIXTURE-0001", h.patientId());
        assertEquals(BodyPart.WRIST, r.bodyPart().orElseThrow());
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, h.transferSyntax());
        assertFalse(h.toString().contains("FIXTURE") || h.toString().contains("Fixture"), h.toString());
        assertTrue(h.toString().contains(h.sopInstanceUid()));
    }

    @Test
    void bodyPartFromTheStudyDescriptionWhenTheFileHasNoBodyPartExamined() {
        DicomHeader h = DicomFile.readHeader(Fixtures.bytes("rgb_colour_secondary_capture.dcm"), Path.of("c.dcm"),
                ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_MAX_SIDE);
        assertEquals(null, h.bodyPartExamined());
        assertEquals(BodyPart.HAND, h.bodyPart().orElseThrow());
    }

    @Test
    void pngHasNoDicomHeader() {
        Radiograph r = ImageDecoder.STANDARD.readRadiograph(Fixtures.bytes("radiograph.png"), "r.png");
        assertEquals(null, r.dicom());
        assertTrue(r.bodyPart().isEmpty());
    }

    static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
