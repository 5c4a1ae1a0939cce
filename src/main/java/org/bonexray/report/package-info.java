/** Charts and the self-contained HTML report. */
package org.bonexray.report;
