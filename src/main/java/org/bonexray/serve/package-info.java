/** The HTTP API and the browser page. */
package org.bonexray.serve;
