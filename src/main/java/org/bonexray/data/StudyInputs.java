package org.bonexray.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bonexray.data.image.ImageFiles;

/**
 * What a user names on a command line as radiographs to predict or explain, resolved into image files grouped by
 * study: an image file, a study folder (all its views), or a {@code .csv}/{@code .txt} list of image paths (first
 * column; relative paths resolve against the list's folder or its parent, as MURA's CSVs do). A study is an image's
 * folder.
 */
public final class StudyInputs {
    private StudyInputs() {
    }

    /**
     * @param inputs files, folders and lists, in the user's order
     * @return image files by study folder (absolute path), studies and images in input order
     * @throws DataException naming an input that is missing, an empty folder or a list with no image path
     */
    public static Map<String, List<Path>> groupByStudy(List<Path> inputs) {
        Map<String, List<Path>> studies = new LinkedHashMap<>();
        for (Path input : inputs) {
            for (Path image : expand(input)) {
                Path folder = image.toAbsolutePath().getParent();
                studies.computeIfAbsent(folder == null ? "." : folder.toString(), k -> new ArrayList<>()).add(image);
            }
        }
        return studies;
    }

    /**
     * The body part a study's path names, as MURA's tree does ({@code .../XR_WRIST/patient00001/study1_positive}):
     * the nearest folder named {@code XR_} and one of the seven parts; null when none is.
     *
     * @param studyFolder the study's folder
     * @return the body part, or null
     */
    public static BodyPart bodyPart(String studyFolder) {
        for (Path p = Path.of(studyFolder); p != null; p = p.getParent()) {
            Path name = p.getFileName();
            if (name != null && name.toString().toUpperCase(Locale.ROOT).startsWith("XR_")) {
                Optional<BodyPart> part = BodyPart.parse(name.toString());
                if (part.isPresent()) {
                    return part.get();
                }
            }
        }
        return null;
    }

    /**
     * @param input an image file, a study folder or a list of image paths
     * @return the image files it names, in order
     */
    public static List<Path> expand(Path input) {
        if (Files.isDirectory(input)) {
            List<Path> images;
            try {
                images = MuraPaths.imagesIn(input);
            } catch (IOException e) {
                throw new DataException(input, "cannot list the folder: " + e.getMessage(), e);
            }
            if (images.isEmpty()) {
                throw new DataException(input, "no radiograph in this folder");
            }
            return images;
        }
        if (!Files.exists(input)) {
            throw new DataException(input, "no such file or folder");
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".txt")) {
            return readList(input);
        }
        return List.of(input);
    }

    private static List<Path> readList(Path list) {
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(list, "cannot read the list: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new DataException(list, "not a UTF-8 text list: " + e.getMessage(), e);
        }
        List<Path> out = new ArrayList<>();
        Path dir = list.toAbsolutePath().getParent();
        for (String line : lines) {
            String first = line.split(",", 2)[0].trim();
            if (first.isEmpty()) {
                continue;
            }
            Path p = Path.of(first);
            if (!p.isAbsolute()) {
                Path besideList = dir.resolve(first);
                p = Files.exists(besideList) || dir.getParent() == null ? besideList : dir.getParent().resolve(first);
            }
            if (ImageFiles.hasImageName(p) || ImageFiles.isRadiograph(p)) {
                out.add(p); // anything else (a header row) is no view; extension-less DICOM files are, by content
            }
        }
        if (out.isEmpty()) {
            throw new DataException(list, "lists no image path");
        }
        return out;
    }
}
