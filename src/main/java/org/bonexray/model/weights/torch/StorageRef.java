package org.bonexray.model.weights.torch;

import org.bonexray.model.weights.format.DType;

/**
 * A storage a pickle refers to by persistent id: its key in the file, element type and length, and, for the
 * storage views of old legacy files, where in the root storage the view starts and how long it is.
 *
 * @param key the storage's key ({@code archive/data/KEY} in zip files, the key list in legacy files)
 * @param dtype element type (from the storage class: FloatStorage, HalfStorage, ...)
 * @param rootElements elements of the whole storage
 * @param viewOffset first element of the view in the root storage (0 without a view)
 * @param viewElements elements of the view (the root's without a view)
 */
record StorageRef(String key, DType dtype, long rootElements, long viewOffset, long viewElements) {
    StorageRef {
        if (rootElements < 0 || viewOffset < 0 || viewElements < 0 || viewOffset + viewElements > rootElements) {
            throw new BadCheckpointException("storage " + key + " claims a view of " + viewElements + " elements at "
                    + viewOffset + " in " + rootElements);
        }
    }

    /** Bytes of the whole storage. */
    long rootBytes() {
        return Math.multiplyExact(rootElements, (long) dtype.bytes());
    }
}
