/**
 * Pretrained weights: torchvision/timm state-dict names for DJL parameters, import and export of
 * safetensors/npz weight files, the ImageNet weight catalogue and its verified, resumable download.
 */
package org.bonexray.model.weights;
