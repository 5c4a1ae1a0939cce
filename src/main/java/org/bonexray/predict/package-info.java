/**
 * Prediction with a saved model: {@link org.bonexray.predict.StudyPredictor} scores the views of a study and
 * aggregates them (for {@code predict}, the web service and the PACS scorer), {@link org.bonexray.predict.DatasetInference}
 * scores every image of a dataset batch by batch (for validation, {@code evaluate} and the heatmap gallery). Both run
 * the network through {@code runtime.ForwardPass}, so a study's probability is the same wherever it is computed.
 */
package org.bonexray.predict;
