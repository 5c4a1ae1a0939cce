/**
 * Finding boxes read from the common annotation formats for {@code explain --localization --boxes}.
 *
 * <p>{@link org.bonexray.explain.boxes.BoxFormat} names the formats (the sample's {@code findings.csv}, COCO json,
 * Pascal VOC xml, YOLO txt) and detects one from a path; each reader turns its files into
 * {@link org.bonexray.explain.boxes.SourceBox}es in the file's own terms; {@link org.bonexray.explain.boxes.ImageMatcher}
 * finds the dataset image each names; {@link org.bonexray.explain.boxes.BoxLoader} converts them to
 * {@link org.bonexray.explain.Box}es in the image's pixels (clipped) keyed as {@code LocalizationBenchmark.cases}
 * expects, with a {@link org.bonexray.explain.boxes.BoxLoader.Report} of what matched nothing or was left empty.
 */
package org.bonexray.explain.boxes;
