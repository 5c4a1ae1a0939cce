package org.bonexray.runtime;

/**
 * A device the user asked for that the engine cannot reach: refused at start, before any work, with what to do.
 * An {@link IllegalStateException}, so commands exit with the general failure code and the message alone.
 */
public final class DeviceUnavailableException extends IllegalStateException {
    public DeviceUnavailableException(String message) {
        super(message);
    }

    /** The refusal of a GPU on an engine that sees none: the usual cause is the CPU-only libtorch. */
    static DeviceUnavailableException noGpu(String asked) {
        return new DeviceUnavailableException("--device " + asked + ": the PyTorch engine sees no GPU (it runs "
                + EngineFacts.libtorchDescription() + "). To compute on a GPU, set BONEXRAY_LIBTORCH to the lib folder "
                + "of a CUDA build of libtorch 2.7.1 (for example torch/lib of pip's torch==2.7.1) and check it with "
                + "'bonexray doctor'; see " + DeviceChoice.SETUP_DOC + ". --device cpu (or auto) runs on the CPU.");
    }
}
