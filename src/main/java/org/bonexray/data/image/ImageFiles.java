package org.bonexray.data.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bonexray.data.dicom.DicomFile;

/** Which files are radiographs to read: the one rule for folder scans, prediction inputs and benchmarks. */
public final class ImageFiles {
    private static final String[] EXTENSIONS = {".png", ".jpg", ".jpeg", ".dcm", ".dicom"};

    private ImageFiles() {
    }

    /**
     * True for {@code .png}, {@code .jpg}, {@code .jpeg}, {@code .dcm} and {@code .dicom} names (any case) that are
     * not hidden: macOS resource forks ({@code ._image1.png}) travel with some copies of MURA and are not images. The
     * decoder still decides by content; this only picks the candidates.
     */
    public static boolean hasImageName(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String extension : EXTENSIONS) {
            if (lower.endsWith(extension)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A view of a study: a regular file with an image name, or a file without an extension (or named like a UID, its
     * last dot followed by digits only) that is a DICOM Part 10 file by content: PACS exports name files by number or
     * by SOP Instance UID. Those cost one read of 132 bytes; other names are never opened.
     */
    public static boolean isRadiograph(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        if (hasImageName(file)) {
            return true;
        }
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        boolean bare = !name.contains(".") || !extension.isEmpty() && extension.chars().allMatch(Character::isDigit);
        return !name.startsWith(".") && bare && isDicomByContent(file);
    }

    /** Whether the file starts with a DICOM Part 10 preamble and {@code DICM}. */
    public static boolean isDicomByContent(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return DicomFile.isDicom(in.readNBytes(DicomFile.MAGIC_OFFSET + 4));
        } catch (IOException e) {
            return false; // unreadable here: the decoder will say why if anything asks for it
        }
    }
}
