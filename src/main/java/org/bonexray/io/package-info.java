/** Small file helpers every stage shares: atomic writes and the project's JSON settings. */
package org.bonexray.io;
