/** Training configuration, the training loop, losses, checkpoints and listeners. */
package org.bonexray.train;
