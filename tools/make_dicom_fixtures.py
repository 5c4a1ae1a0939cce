#!/usr/bin/python3
"""Writes the DICOM test fixtures under src/test/resources/org/bonexray/data/dicom (run from the repository root).

Needs Debian's /usr/bin/python3 with python3-pydicom, python3-numpy and python3-pil, plus dcmtk (dcmcjpeg,
dcmcrle) and libopenjp2-tools (opj_compress) for the syntaxes pydicom cannot encode:

    apt-get install -y python3-pydicom python3-numpy python3-pil dcmtk libopenjp2-tools
    /usr/bin/python3 tools/make_dicom_fixtures.py

One 64x64 8-bit radiograph-like image (radiograph.png) is written as DICOM in many forms whose rendering must give
back exactly its levels: 8-bit MONOCHROME2 (explicit, implicit, deflated), MONOCHROME1 stored inverted, 12 bits in
16 with garbage above bit 11, Rescale Slope/Intercept and a window, signed 16-bit, a VOI LUT Sequence, a Modality
LUT Sequence, JPEG lossless, JPEG 2000 lossless in three fragments, RLE, RGB interleaved and planar. The lossy forms
(JPEG baseline and extended, JPEG 2000 lossy), the SIGMOID and LINEAR_EXACT windows and a colour secondary capture
come with the expected 8-bit result computed here (numpy for the windows, the PS3.3 C.11.2.1.2 formulas written
independently of the Java code). A CMYK JPEG tests TwelveMonkeys' reader.

It also copies a few of pydicom's own small public test files (pydicom is MIT-licensed; see pydicom-files.md) and
records pydicom's pixel_array for each as a checksum (pydicom.json), so the Java reader is checked against an
independent one on files neither of us wrote.
"""
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.sequence import Sequence
from pydicom.uid import (DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian,
                         JPEG2000, JPEG2000Lossless, JPEGBaseline8Bit)

OUT = "src/test/resources/org/bonexray/data/dicom"
PYDICOM_FILES = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
SIDE = 64
# Fixed UIDs (under the UUID-derived 2.25 root) so that re-running the script changes no committed byte.
ROOT = "2.25.1177430098101220214"


def uid(n):
    return f"{ROOT}.{n}"


def radiograph():
    """A bone-like bright band over soft tissue on black, with grain: every level from dark to bright occurs."""
    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float64)
    tissue = 70 + 40 * np.exp(-((x - 32) / 22) ** 2)
    bone = 150 * np.exp(-((x - 30 - 0.2 * (y - 32)) / 6) ** 2)
    rng = np.random.RandomState(21)
    img = tissue + bone + rng.normal(0, 6, (SIDE, SIDE))
    img[:, :4] = 0
    img[:3, :] = 255
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def base(pixels, bits_allocated, bits_stored, photometric="MONOCHROME2", signed=False, n=1, samples=1):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"  # Digital X-Ray Image Storage - For Presentation
    meta.MediaStorageSOPInstanceUID = uid(1000 + n)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = uid(1)
    ds.SeriesInstanceUID = uid(2)
    ds.Modality = "DX"
    ds.PatientID = "FIXTURE-0001"
    ds.PatientName = "Fixture^Synthetic"
    ds.BodyPartExamined = "WRIST"
    ds.Rows, ds.Columns = SIDE, SIDE
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    if samples == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = bits_allocated
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    dtype = {8: np.uint8, 16: np.int16 if signed else np.uint16}[bits_allocated]
    ds.PixelData = np.ascontiguousarray(pixels).astype(dtype).tobytes()
    return ds


def save(ds, name, syntax=ExplicitVRLittleEndian):
    ds.file_meta.TransferSyntaxUID = syntax
    ds.is_little_endian = True
    ds.is_implicit_VR = syntax == ImplicitVRLittleEndian
    path = os.path.join(OUT, name)
    ds.save_as(path, write_like_original=False)
    return path


def windowed_levels(p8):
    """Modality values x whose LINEAR window (c = 1120.5, w = 2041) renders exactly p8: y = (x - 100) / 8 = p8 + 1/4."""
    return 100 + 8 * p8.astype(np.int64) + 2


def linear_exact(x, c, w):
    y = ((x - c) / w + 0.5) * 255
    return np.where(x <= c - w / 2, 0, np.where(x > c + w / 2, 255, y))


def sigmoid(x, c, w):
    return 255 / (1 + np.exp(-4 * (x - c) / w))


def write_png(levels, name):
    Image.fromarray(np.round(np.clip(levels, 0, 255)).astype(np.uint8)).save(os.path.join(OUT, name))


def embedded_frame(path):
    from pydicom.encaps import generate_pixel_data_frame
    return next(generate_pixel_data_frame(pydicom.dcmread(path).PixelData))


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def windowed_12bit(p8, n, junk_high_bits):
    x = windowed_levels(p8)
    stored = (x + 1024) // 2  # Rescale Slope 2, Intercept -1024
    assert stored.max() < 4096 and (stored * 2 - 1024 == x).all()
    raw = stored | (np.random.RandomState(5).randint(0, 16, stored.shape) << 12 if junk_high_bits else 0)
    ds = base(raw, 16, 12, n=n)
    ds.RescaleSlope, ds.RescaleIntercept, ds.RescaleType = "2", "-1024", "US"
    ds.WindowCenter, ds.WindowWidth = "1120.5", "2041"
    return ds


def exact_forms(p8, tmp):
    """Files whose rendering must equal radiograph.png level for level."""
    save(base(p8, 8, 8, n=1), "m2_8bit_explicit.dcm")
    save(base(p8, 8, 8, n=2), "m2_8bit_implicit.dcm", ImplicitVRLittleEndian)
    save(base(p8, 8, 8, n=3), "m2_8bit_deflate.dcm", DeflatedExplicitVRLittleEndian)
    save(base(255 - p8, 8, 8, "MONOCHROME1", n=4), "m1_8bit_inverted.dcm")
    save(windowed_12bit(p8, 5, True), "m2_12bit_rescale_window_highbits.dcm")
    signed = windowed_levels(p8) - 1600  # negative and positive stored values, no rescale
    ds = base(signed, 16, 16, signed=True, n=6)
    ds.WindowCenter, ds.WindowWidth = "-479.5", "2041"
    save(ds, "m2_16bit_signed_window.dcm")
    ds = base(windowed_levels(p8), 16, 12, n=7)
    item = Dataset()
    item.LUTDescriptor = [2048, 100, 16]  # inputs 100..2147; every x is in it
    idx = np.arange(100, 2148)
    item.LUTData = (np.clip((idx - 100) // 8, 0, 255) * 257).astype("<u2").tobytes()
    item["LUTData"].VR = "OW"
    ds.VOILUTSequence = Sequence([item])
    ds.WindowCenter, ds.WindowWidth = "10", "5"  # must lose to the LUT, as pydicom and most viewers do
    save(ds, "m2_12bit_voi_lut.dcm")
    stored = windowed_levels(p8) // 2  # the Modality LUT doubles it back (x = 2s; all x are even)
    ds = base(stored, 16, 12, n=8)
    item = Dataset()
    item.LUTDescriptor = [1100, 0, 16]  # stored values 51..1071
    item.ModalityLUTType = "US"
    item.LUTData = (np.arange(1100) * 2).astype(np.uint16).tolist()
    item["LUTData"].VR = "US"  # LUT Data may be US or OW; one file of each
    ds.ModalityLUTSequence = Sequence([item])
    ds.WindowCenter, ds.WindowWidth = "1120.5", "2041"
    save(ds, "m2_12bit_modality_lut.dcm")
    rgb = np.repeat(p8[:, :, None], 3, axis=2)
    save(base(rgb, 8, 8, "RGB", n=9, samples=3), "rgb_8bit_interleaved.dcm")
    ds = base(np.transpose(rgb, (2, 0, 1)), 8, 8, "RGB", n=10, samples=3)
    ds.PlanarConfiguration = 1
    save(ds, "rgb_8bit_planar.dcm")
    compressed_forms(p8, tmp)


def compressed_forms(p8, tmp):
    clean = save(windowed_12bit(p8, 11, False), "tmp_clean.dcm")
    run("dcmcjpeg", "+e1", clean, os.path.join(OUT, "jpeg_lossless_12bit.dcm"))
    run("dcmcrle", clean, os.path.join(OUT, "rle_12bit.dcm"))
    eight = save(base(p8, 8, 8, n=12), "tmp_8.dcm")
    run("dcmcjpeg", "+e1", eight, os.path.join(OUT, "jpeg_lossless_8bit.dcm"))
    extended = os.path.join(OUT, "jpeg_extended_8bit.dcm")
    run("dcmcjpeg", "+ee", eight, extended)
    os.remove(eight)
    # dcmtk's lossy path rescales the levels it encodes, so the expectation is the stream as libjpeg decodes it
    write_png(np.array(Image.open(io.BytesIO(embedded_frame(extended)))), "jpeg_extended_8bit.expected.png")
    stored = (windowed_levels(p8) + 1024) // 2
    pgm = os.path.join(tmp, "s.pgm")
    with open(pgm, "wb") as f:
        f.write(b"P5\n%d %d\n4095\n" % (SIDE, SIDE) + stored.astype(">u2").tobytes())
    j2k = os.path.join(tmp, "s.j2k")
    run("opj_compress", "-i", pgm, "-o", j2k)
    stream = open(j2k, "rb").read()
    ds = pydicom.dcmread(clean)
    ds.PixelData = encapsulate([stream], fragments_per_frame=3, has_bot=False)
    ds["PixelData"].VR = "OB"
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = uid(1013)
    save(ds, "j2k_lossless_12bit_3fragments.dcm", JPEG2000Lossless)
    os.remove(clean)
    lossy_forms(p8, tmp)


def lossy_forms(p8, tmp):
    """Lossy streams and the levels their own decoders (libjpeg-turbo, OpenJPEG via Pillow) give back."""
    buf = io.BytesIO()
    Image.fromarray(p8).save(buf, format="JPEG", quality=90)
    ds = base(p8, 8, 8, n=14)
    ds.PixelData = encapsulate([buf.getvalue()])
    ds["PixelData"].VR = "OB"
    save(ds, "jpeg_baseline_8bit.dcm", JPEGBaseline8Bit)
    write_png(np.array(Image.open(io.BytesIO(buf.getvalue()))), "jpeg_baseline_8bit.expected.png")
    pgm = os.path.join(tmp, "p8.pgm")
    Image.fromarray(p8).save(pgm)
    j2k = os.path.join(tmp, "p8.j2k")
    run("opj_compress", "-i", pgm, "-o", j2k, "-r", "8", "-I")
    stream = open(j2k, "rb").read()
    ds = base(p8, 8, 8, n=15)
    ds.PixelData = encapsulate([stream])
    ds["PixelData"].VR = "OB"
    save(ds, "j2k_lossy_8bit.dcm", JPEG2000)
    write_png(np.array(Image.open(io.BytesIO(stream))), "j2k_lossy_8bit.expected.png")


def computed_forms(p8):
    """Windows whose result is computed here rather than designed to be p8."""
    x = windowed_levels(p8).astype(np.float64)
    for n, function, render in ((16, "SIGMOID", sigmoid), (17, "LINEAR_EXACT", linear_exact)):
        ds = base(windowed_levels(p8), 16, 12, n=n)
        ds.WindowCenter, ds.WindowWidth, ds.VOILUTFunction = "1000", "1200", function
        name = "m2_12bit_" + function.lower()
        save(ds, name + ".dcm")
        write_png(np.floor(render(x, 1000.0, 1200.0) + 0.5), name + ".expected.png")
    y, xx = np.mgrid[0:SIDE, 0:SIDE]
    rgb = np.stack([p8, (xx * 4).astype(np.uint8), (255 - p8)], axis=2).astype(np.uint8)
    ds = base(rgb, 8, 8, "RGB", n=18, samples=3)
    ds.BodyPartExamined = None
    del ds.BodyPartExamined
    ds.StudyDescription = "XR HAND 3 VIEWS RIGHT"
    save(ds, "rgb_colour_secondary_capture.dcm")
    Image.fromarray(rgb, "RGB").save(os.path.join(OUT, "rgb_colour_secondary_capture.png"))
    cmyk = Image.fromarray(rgb, "RGB").convert("CMYK")
    cmyk.save(os.path.join(OUT, "cmyk.jpg"), quality=95)
    write_png(np.array(Image.open(os.path.join(OUT, "cmyk.jpg")).convert("RGB").convert("L")), "cmyk.expected.png")


PYDICOM_COPIES = ["MR_small.dcm", "MR_small_implicit.dcm", "MR_small_RLE.dcm", "MR_small_jp2klossless.dcm",
                  "MR_small_padded.dcm", "image_dfl.dcm", "JPEG2000.dcm", "SC_rgb_rle.dcm", "SC_rgb_rle_16bit.dcm",
                  "SC_rgb_small_odd.dcm", "SC_rgb_jpeg_dcmtk.dcm", "MR_truncated.dcm", "JPGExtended.dcm",
                  "MR_small_jpeg_ls_lossless.dcm", "MR_small_bigendian.dcm", "SC_rgb_rle_2frame.dcm",
                  "UN_sequence.dcm", "nested_priv_SQ.dcm", "priv_SQ.dcm", "ExplVR_LitEndNoMeta.dcm"]
# Lossy files: compared by their sum within a tolerance, not by checksum.
LOSSY = {"SC_rgb_jpeg_dcmtk.dcm", "JPEG2000.dcm"}  # irreversible codecs: decoders may round apart


def pydicom_copies():
    os.makedirs(os.path.join(OUT, "pydicom"), exist_ok=True)
    expected = {}
    for name in PYDICOM_COPIES:
        src = os.path.join(PYDICOM_FILES, name)
        shutil.copyfile(src, os.path.join(OUT, "pydicom", name))
        try:
            ds = pydicom.dcmread(src)
            a = ds.pixel_array
        except Exception as e:  # what pydicom cannot decode either is recorded as such
            expected[name] = {"pydicom": "error: " + type(e).__name__}
            continue
        if getattr(ds, "NumberOfFrames", 1) not in (None, "", 1, "1"):
            expected[name] = {"pydicom": "frames: " + str(ds.NumberOfFrames)}
            continue
        values = np.ascontiguousarray(a.astype("<i4"))
        entry = {"rows": int(ds.Rows), "columns": int(ds.Columns), "samples": int(ds.SamplesPerPixel),
                 "min": int(values.min()), "max": int(values.max()), "sum": int(values.sum(dtype=np.int64))}
        if name not in LOSSY:
            entry["sha256"] = hashlib.sha256(values.tobytes()).hexdigest()
        expected[name] = entry
    with open(os.path.join(OUT, "pydicom", "pydicom.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    p8 = radiograph()
    write_png(p8, "radiograph.png")
    with tempfile.TemporaryDirectory() as tmp:
        exact_forms(p8, tmp)
    computed_forms(p8)
    pydicom_copies()


if __name__ == "__main__":
    main()
