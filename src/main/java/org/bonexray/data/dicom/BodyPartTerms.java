package org.bonexray.data.dicom;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bonexray.data.BodyPart;

/**
 * Maps a file's Body Part Examined (0018,0015), or failing that the words of its Study and Series Descriptions, to
 * one of MURA's seven body parts. Only unambiguous terms count: a description naming two parts ("HAND AND WRIST"),
 * or a region wider than one part ("UPPER LIMB"), maps to none, and the user's {@code --body-part} or the study's
 * folder decides.
 */
public final class BodyPartTerms {
    /**
     * Body Part Examined values: PS3.16 Annex L's defined terms (ARM is the upper arm there) and spellings seen in
     * practice, upper-cased with spaces and underscores removed.
     */
    private static final Map<String, BodyPart> EXAMINED = Map.ofEntries(
            Map.entry("ELBOW", BodyPart.ELBOW), Map.entry("ELBOWJOINT", BodyPart.ELBOW),
            Map.entry("FINGER", BodyPart.FINGER), Map.entry("FINGERS", BodyPart.FINGER),
            Map.entry("THUMB", BodyPart.FINGER), Map.entry("DIGIT", BodyPart.FINGER),
            Map.entry("FOREARM", BodyPart.FOREARM), Map.entry("LOWERARM", BodyPart.FOREARM),
            Map.entry("RADIUSULNA", BodyPart.FOREARM),
            Map.entry("HAND", BodyPart.HAND),
            Map.entry("HUMERUS", BodyPart.HUMERUS), Map.entry("ARM", BodyPart.HUMERUS),
            Map.entry("UPPERARM", BodyPart.HUMERUS),
            Map.entry("SHOULDER", BodyPart.SHOULDER), Map.entry("SHOULDERJOINT", BodyPart.SHOULDER),
            Map.entry("WRIST", BodyPart.WRIST), Map.entry("WRISTJOINT", BodyPart.WRIST));

    /** Words of a description; a plural or a two-word name counts as the part. */
    private static final Map<String, BodyPart> WORDS = Map.ofEntries(
            Map.entry("ELBOW", BodyPart.ELBOW), Map.entry("ELBOWS", BodyPart.ELBOW),
            Map.entry("FINGER", BodyPart.FINGER), Map.entry("FINGERS", BodyPart.FINGER),
            Map.entry("THUMB", BodyPart.FINGER), Map.entry("THUMBS", BodyPart.FINGER),
            Map.entry("FOREARM", BodyPart.FOREARM), Map.entry("FOREARMS", BodyPart.FOREARM),
            Map.entry("HAND", BodyPart.HAND), Map.entry("HANDS", BodyPart.HAND),
            Map.entry("HUMERUS", BodyPart.HUMERUS), Map.entry("HUMERI", BodyPart.HUMERUS),
            Map.entry("SHOULDER", BodyPart.SHOULDER), Map.entry("SHOULDERS", BodyPart.SHOULDER),
            Map.entry("WRIST", BodyPart.WRIST), Map.entry("WRISTS", BodyPart.WRIST));

    private static final Set<String> TWO_WORD_HUMERUS = Set.of("UPPER ARM", "UPPER ARMS");
    private static final Set<String> TWO_WORD_FOREARM = Set.of("LOWER ARM", "LOWER ARMS");

    private BodyPartTerms() {
    }

    /** The body part a file names, from Body Part Examined first, then from the descriptions in order. */
    public static Optional<BodyPart> of(String bodyPartExamined, String... descriptions) {
        Optional<BodyPart> examined = fromBodyPartExamined(bodyPartExamined);
        if (examined.isPresent()) {
            return examined;
        }
        for (String d : descriptions) {
            Optional<BodyPart> p = fromDescription(d);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /** The part a Body Part Examined value names, empty when it names none or a wider region. */
    public static Optional<BodyPart> fromBodyPartExamined(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String key = value.toUpperCase(Locale.ROOT).replaceAll("[\\s_\\-/]", "");
        return Optional.ofNullable(EXAMINED.get(key));
    }

    /** The one part a free-text description names, empty when it names none or several. */
    public static Optional<BodyPart> fromDescription(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String upper = " " + text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z]+", " ") + " ";
        Set<BodyPart> found = EnumSet.noneOf(BodyPart.class);
        for (String phrase : TWO_WORD_HUMERUS) {
            if (upper.contains(" " + phrase + " ")) {
                found.add(BodyPart.HUMERUS);
            }
        }
        for (String phrase : TWO_WORD_FOREARM) {
            if (upper.contains(" " + phrase + " ")) {
                found.add(BodyPart.FOREARM);
            }
        }
        for (String word : upper.trim().split(" ")) {
            BodyPart p = WORDS.get(word);
            if (p != null) {
                found.add(p);
            }
        }
        return found.size() == 1 ? Optional.of(found.iterator().next()) : Optional.empty();
    }
}
