/** Synthetic MURA-format sample generator: radiograph-like images with learnable findings and their bounding boxes. */
package org.bonexray.data.sample;
