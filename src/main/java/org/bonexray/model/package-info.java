/** DenseNet backbones with torchvision's layer names, the paper's heads, initialisers, freezing policies, weight import/export and the saved model artifact. */
package org.bonexray.model;
