/** HTML building blocks shared by the report and the experiment table: escaping, numbers, the page's style sheet. */
package org.bonexray.report.html;
