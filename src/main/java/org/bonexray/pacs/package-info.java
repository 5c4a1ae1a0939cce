/**
 * bonexray in front of a PACS: scores a study found over DICOMweb ({@code StudyScorer}), stores the result
 * as a DICOM Structured Report into the same study ({@code ReportStore}), and watches a PACS for new stable
 * studies with a restart-safe state ({@code PacsWatcher}, {@code WatchState}). Sits on top, like {@code serve}
 * (whose study JSON it prints), over {@code model}, {@code data.image} and its own {@code pacs.dicom} (writing
 * DICOM) and {@code pacs.dicomweb} (the HTTP side).
 */
package org.bonexray.pacs;
