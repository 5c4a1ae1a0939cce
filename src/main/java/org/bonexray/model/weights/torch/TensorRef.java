package org.bonexray.model.weights.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bonexray.model.weights.format.RawTensor;

/**
 * A tensor as a pickle describes it ({@code torch._utils._rebuild_tensor_v2}): a storage, an offset into it, a
 * size and strides. Nothing is allocated until {@link #materialize}, which first checks that every element the
 * size and strides reach lies inside the storage and that the tensor is no larger than its storage.
 *
 * @param storage the storage
 * @param offset first element, relative to the storage (view)
 * @param size dimensions
 * @param stride element strides
 */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) implements Buildable {
    /** Most dimensions accepted; DenseNet weights have at most 4. */
    static final int MAX_DIMS = 16;

    TensorRef {
        if (size.length != stride.length || size.length > MAX_DIMS) {
            throw new BadCheckpointException("a tensor of storage " + storage.key() + " has size "
                    + Arrays.toString(size) + " and stride " + Arrays.toString(stride));
        }
        long numel = RawTensor.numel(size);
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            if (stride[i] < 0) {
                throw new BadCheckpointException("negative stride in a tensor of storage " + storage.key());
            }
            if (size[i] > 0) {
                last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            }
        }
        if (offset < 0 || numel > storage.viewElements() || (numel > 0 && last >= storage.viewElements())) {
            throw new BadCheckpointException("a tensor of size " + Arrays.toString(size) + " at offset " + offset
                    + " reaches beyond its storage " + storage.key() + " of " + storage.viewElements() + " elements");
        }
    }

    @Override
    public void build(Object state) {
        // a tensor's BUILD state (legacy attributes) carries no weights
    }

    /** The tensor's elements, contiguous in C order, copied out of the root storage's bytes. */
    RawTensor materialize(String key, ByteBuffer rootStorage) {
        int elementBytes = storage.dtype().bytes();
        int numel = (int) RawTensor.numel(size);
        ByteBuffer out = ByteBuffer.allocate(numel * elementBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (contiguous()) {
            int start = (int) ((storage.viewOffset() + offset) * elementBytes);
            return new RawTensor(key, storage.dtype(), size,
                    out.put(rootStorage.duplicate().position(start).limit(start + numel * elementBytes)).flip());
        }
        byte[] element = new byte[elementBytes];
        long[] index = new long[size.length];
        ByteBuffer in = rootStorage.duplicate();
        for (int n = 0; n < numel; n++) {
            long e = storage.viewOffset() + offset;
            for (int d = 0; d < size.length; d++) {
                e += index[d] * stride[d];
            }
            in.position((int) (e * elementBytes));
            in.get(element);
            out.put(element);
            for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0;
            }
        }
        return new RawTensor(key, storage.dtype(), size, out.flip());
    }

    /** Whether the strides are C order's, so the elements are one run of the storage. */
    private boolean contiguous() {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorRef t && storage.equals(t.storage) && offset == t.offset
                && Arrays.equals(size, t.size) && Arrays.equals(stride, t.stride);
    }

    @Override
    public int hashCode() {
        return storage.hashCode() * 31 + Arrays.hashCode(size);
    }
}
