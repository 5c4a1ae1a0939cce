package org.bonexray.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bonexray.data.image.ImageFiles;

/** Path conventions of MURA's tree and CSVs; {@link #imagesIn} also lists the views of any study folder. */
public final class MuraPaths {
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private MuraPaths() {
    }

    /**
     * Splits a CSV path into its parts below the dataset root. CSV paths start with the root folder's name
     * ({@code MURA-v1.1/}); copies renamed on disk still work because that first part is dropped whatever it is,
     * unless it already is a split name.
     */
    static List<String> relativeParts(String csvPath) {
        String p = csvPath.trim().replace('\\', '/');
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        List<String> parts = new ArrayList<>(Arrays.asList(p.split("/+")));
        parts.removeIf(String::isEmpty);
        if (!parts.isEmpty() && !isSplitName(parts.get(0))) {
            parts.remove(0);
        }
        return parts;
    }

    static boolean isSplitName(String s) {
        return Arrays.stream(Split.values()).anyMatch(sp -> sp.folderName().equals(s));
    }

    static boolean isImageFile(Path p) {
        return ImageFiles.isRadiograph(p);
    }

    /** Sub-folders of a folder, hidden ones excluded, in natural order. */
    static List<Path> subfolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(NATURAL).toList();
        }
    }

    /** Image files of a study folder (PNG, JPEG, DICOM; see {@link ImageFiles#isRadiograph}) in natural order. */
    public static List<Path> imagesIn(Path studyDir) throws IOException {
        try (Stream<Path> s = Files.list(studyDir)) {
            return s.filter(MuraPaths::isImageFile).sorted(NATURAL).toList();
        }
    }

    /** Orders names by their text with embedded numbers compared as numbers. */
    static final Comparator<Path> NATURAL = Comparator.comparing(p -> naturalKey(p.getFileName().toString()));

    /** Orders whole paths the same way, folder by folder. */
    static final Comparator<Path> NATURAL_PATHS = Comparator.comparing(p -> naturalKey(p.toString()));

    private static String naturalKey(String name) {
        Matcher m = DIGITS.matcher(name);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, String.format(Locale.ROOT, "%012d", Long.parseLong(trimDigits(m.group()))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String trimDigits(String digits) {
        return digits.length() > 12 ? digits.substring(digits.length() - 12) : digits;
    }
}
