/**
 * The web service: an HTTP API (Javalin) that predicts a study from uploaded views, serves the model card,
 * heatmap overlays and a self-contained browser page. Sits on top of {@code model} and {@code data.image}.
 */
package org.bonexray.serve;
