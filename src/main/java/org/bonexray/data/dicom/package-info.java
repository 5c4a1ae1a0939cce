/**
 * DICOM Part 10 input: a thin, defensive reader of the file format, pixel decoding and the grayscale pipeline.
 *
 * <p>{@link org.bonexray.data.dicom.DicomFile#read} parses the preamble, the file meta information and the data
 * set (explicit or implicit VR little endian, or deflated), keeps the attributes needed to render the image and to
 * name it ({@link org.bonexray.data.dicom.DicomHeader}: UIDs, modality, body part, descriptions), decodes one frame
 * of native or encapsulated pixel data (JPEG baseline, extended 8-bit and lossless through TwelveMonkeys, JPEG 2000
 * through jai-imageio, RLE by hand) and renders it to 8 bits: modality rescale or LUT, then the VOI window or LUT the
 * modality set, then MONOCHROME1 inversion. Every refusal is a {@link org.bonexray.data.dicom.DicomException}
 * naming the file and the reason; nothing here allocates a size a header merely claims. Only UIDs ever appear in
 * messages or {@code toString}: patient attributes are PHI. Everything is pure Java and thread-safe.
 */
package org.bonexray.data.dicom;
