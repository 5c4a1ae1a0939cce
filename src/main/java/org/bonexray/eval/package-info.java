/** Image- and study-level metrics, per body part, with bootstrap confidence intervals, as immutable results. */
package org.bonexray.eval;
