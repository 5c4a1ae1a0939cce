/** One picocli command per class; commands parse, delegate and print. */
package org.bonexray.cli;
