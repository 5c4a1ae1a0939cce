/**
 * Small helpers every stage shares: atomic writes, the project's JSON settings, progress lines, the stop request,
 * parallel work over a list, image readers and SHA-256.
 */
package org.bonexray.io;
