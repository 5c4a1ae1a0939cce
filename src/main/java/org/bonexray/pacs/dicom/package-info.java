/**
 * Writing DICOM: data sets in explicit VR little endian, Part 10 files, UIDs under the 2.25 root, bonexray's
 * Comprehensive Structured Report and Secondary Capture images (for test and trial studies). Reading DICOM is
 * {@code data.dicom}'s.
 */
package org.bonexray.pacs.dicom;
