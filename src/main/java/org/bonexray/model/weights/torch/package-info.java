/**
 * PyTorch checkpoints read without Python and without executing anything they name: torch's zip and legacy
 * serialisations, Pyrolite's unpickler behind an allow-list modelled on {@code torch.load(weights_only=True)} plus
 * inert records of named module packages (whole pickled models such as torchxrayvision's), storages read only after
 * every claimed size is checked against the bytes present.
 */
package org.bonexray.model.weights.torch;
