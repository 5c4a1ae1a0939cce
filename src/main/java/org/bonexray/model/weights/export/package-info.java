/**
 * A trained model exported as a PyTorch-loadable folder (safetensors under torchvision's names, the head as a
 * {@code torch.nn.Sequential}, the preprocessing and head as JSON, check images with {@code predict}'s
 * probabilities), and read back into a bonexray model.
 */
package org.bonexray.model.weights.export;
