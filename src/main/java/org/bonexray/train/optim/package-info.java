/** Optimizers whose state can be saved and restored exactly, and learning-rate schedules. */
package org.bonexray.train.optim;
