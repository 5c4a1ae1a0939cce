package org.bonexray.explain.boxes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The annotation formats {@code explain --localization --boxes} reads, and how one is recognised from a path. */
public enum BoxFormat {
    /** The synthetic sample's {@code findings.csv}: MURA paths, integer pixels, right/bottom edges exclusive. */
    CSV(CsvBoxes::read),
    /** COCO json: {@code images[{id,file_name,width,height}]}, {@code annotations[{image_id,bbox:[x,y,w,h]}]}. */
    COCO(CocoBoxes::read),
    /** Pascal VOC xml, one file per image (a folder of them or one file), 1-based inclusive pixel edges. */
    VOC(VocBoxes::read),
    /** YOLO txt, one file per image named as the image, {@code class cx cy w h} as fractions of the size. */
    YOLO(YoloBoxes::read);

    private final Function<Path, List<SourceBox>> reader;

    BoxFormat(Function<Path, List<SourceBox>> reader) {
        this.reader = reader;
    }

    /**
     * The boxes of a file or folder of this format, in the file's own terms.
     *
     * @param source the annotation file or folder
     * @return its boxes, in file order
     * @throws org.bonexray.data.DataException when the source is missing or an entry is malformed (naming it)
     */
    public List<SourceBox> read(Path source) {
        return reader.apply(source);
    }

    /**
     * The format a path's name says: {@code .csv} CSV, {@code .json} COCO, {@code .xml} VOC, {@code .txt} YOLO;
     * a folder is VOC when it holds {@code .xml} files, else YOLO.
     *
     * @param source the annotation file or folder
     * @return the format
     * @throws IllegalArgumentException when nothing says which (use {@code --boxes-format})
     */
    public static BoxFormat detect(Path source) {
        if (Files.isDirectory(source)) {
            return AnnotationFiles.list(source, ".xml").isEmpty() ? YOLO : VOC;
        }
        String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
        for (BoxFormat format : values()) {
            if (name.endsWith(format.extension())) {
                return format;
            }
        }
        throw new IllegalArgumentException("cannot tell the box format of " + source
                + " from its name (.csv, .json, .xml, .txt or a folder): give --boxes-format");
    }

    /**
     * The format a command line names, case-insensitively.
     *
     * @param name csv, coco, voc or yolo
     * @return the format
     * @throws IllegalArgumentException for any other name
     */
    public static BoxFormat parse(String name) {
        for (BoxFormat format : values()) {
            if (format.name().equalsIgnoreCase(name.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown box format '" + name + "': expected csv, coco, voc or yolo");
    }

    /** The file extension of the format's files. */
    String extension() {
        return switch (this) {
            case CSV -> ".csv";
            case COCO -> ".json";
            case VOC -> ".xml";
            case YOLO -> ".txt";
        };
    }
}
