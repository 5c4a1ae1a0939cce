package org.bonexray.model.weights.format;

/** The weight-file formats bonexray reads, told apart by content, not by file name. */
public enum WeightsFormat {
    SAFETENSORS("safetensors"),
    NPZ("numpy .npz"),
    TORCH_ZIP("PyTorch zip checkpoint (torch >= 1.6)"),
    TORCH_LEGACY("PyTorch legacy checkpoint (torch < 1.6, torchvision's hosted files)");

    private final String description;

    WeightsFormat(String description) {
        this.description = description;
    }

    /** A name for reports, for example {@code PyTorch zip checkpoint (torch >= 1.6)}. */
    public String description() {
        return description;
    }
}
