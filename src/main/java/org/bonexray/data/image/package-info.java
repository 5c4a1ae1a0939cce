/**
 * Radiograph decoding with guards against bad files, deterministic preprocessing and seeded random augmentation.
 *
 * <p>The input chain of every image: {@link org.bonexray.data.image.ImageDecoder#decode(java.nio.file.Path)}
 * (luminance in [0, 1], or a {@link org.bonexray.data.image.BadImageException} naming the file and the reason),
 * then {@link org.bonexray.data.image.Preprocessing#resize}, then, in training only,
 * {@link org.bonexray.data.image.RandomAugmentation#apply}, then
 * {@link org.bonexray.data.image.Preprocessing#toChw(org.bonexray.data.image.GrayImage, float[], int)} into the batch buffer.
 * Everything here is pure Java and thread-safe; nothing depends on DJL.
 */
package org.bonexray.data.image;
