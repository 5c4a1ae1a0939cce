/**
 * Pretrained weights: the ImageNet catalogue (timm's safetensors at pinned or recorded hub revisions,
 * torchvision's {@code .pth} files), found in bonexray's, the Hugging Face and the torch hub caches before anything
 * is downloaded, downloaded resumably and verified fail-closed, imported for air-gapped machines; reading every
 * weight-file format into one form ({@link org.bonexray.model.weights.WeightsFiles}), mapping its keys to
 * torchvision's ({@link org.bonexray.model.weights.KeyMapping}), importing into DJL blocks by key, exporting, and
 * recording the weights' provenance.
 */
package org.bonexray.model.weights;
