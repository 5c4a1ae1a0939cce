/** MURA dataset index (body part, patient, study, image), validation of the tree, patient-level splits and the DJL dataset that feeds batches. */
package org.bonexray.data;
