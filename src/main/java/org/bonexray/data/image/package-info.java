/** Radiograph decoding with guards against bad files, deterministic preprocessing and seeded random augmentation. */
package org.bonexray.data.image;
