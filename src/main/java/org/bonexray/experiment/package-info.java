/**
 * Experiment grids: named rows of training configurations (the paper's Table 1, MURA's recipe, or a file),
 * each trained, evaluated on the valid split and summarised in one table; an interrupted grid resumes.
 */
package org.bonexray.experiment;
