/** Class activation maps (CAM, Grad-CAM) and heatmap overlays. */
package org.bonexray.explain;
