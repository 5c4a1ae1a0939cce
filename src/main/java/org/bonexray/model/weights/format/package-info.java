/**
 * Weight tensors in Java memory: element types with their conversion to float32 (bfloat16 and float16 widened
 * before DJL sees them), raw tensors, state dicts with notes on how they were read, and the safetensors reader.
 */
package org.bonexray.model.weights.format;
