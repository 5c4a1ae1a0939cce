package org.bonexray.data.image;

/** How an image of any shape becomes the network's square input. */
public enum ResizeMode {
    /** Resize straight to size x size, distorting the aspect ratio: the reproduced paper's plain resize. */
    SQUASH,
    /** Keep the aspect ratio: the longer side becomes the size, the image is centred and padded with black. */
    LETTERBOX
}
