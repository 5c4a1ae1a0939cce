/**
 * Talking to a PACS over HTTP: DICOMweb (QIDO-RS, WADO-RS, STOW-RS) with authentication, TLS, time and size
 * bounds and retries; defensive multipart and DICOM JSON parsing; Orthanc's change feed.
 */
package org.bonexray.pacs.dicomweb;
