package org.bonexray.pacs.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bonexray.io.Json;
import org.bonexray.pacs.dicom.DicomDataset;
import org.bonexray.pacs.dicom.Tags;
import org.bonexray.pacs.dicom.Vr;

/**
 * Reads the DICOM JSON model (PS3.18 F), {@code {"0020000D": {"vr": "UI", "Value": ["1.2.3"]}}}, as QIDO-RS and
 * STOW-RS answer it: text values, person names (their alphabetic, ideographic and phonetic groups), numbers.
 */
public final class DicomJson {
    private DicomJson() {
    }

    /** Parses an answer that must be a JSON array of data sets (an empty body is an empty array). */
    public static List<JsonNode> parseArray(byte[] body, String what) {
        if (body.length == 0) {
            return List.of();
        }
        JsonNode root = parse(body, what);
        if (!root.isArray()) {
            throw new PacsException(PacsException.Kind.MALFORMED, what + ": expected a JSON array of DICOM data sets");
        }
        List<JsonNode> out = new ArrayList<>();
        root.forEach(out::add);
        return out;
    }

    /** Parses an answer that must be one JSON object. */
    public static JsonNode parseObject(byte[] body, String what) {
        JsonNode root = parse(body, what);
        if (!root.isObject()) {
            throw new PacsException(PacsException.Kind.MALFORMED, what + ": expected a JSON object");
        }
        return root;
    }

    private static JsonNode parse(byte[] body, String what) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new PacsException(PacsException.Kind.MALFORMED, 0, what + ": the answer is not valid JSON", e);
        }
    }

    /** Every value of an attribute as text (person names as {@code Alphabetic=Ideographic=Phonetic}). */
    public static List<String> strings(JsonNode dataset, int tag) {
        JsonNode values = dataset.path(Tags.hex(tag)).path("Value");
        List<String> out = new ArrayList<>();
        for (JsonNode v : values) {
            if (v.isObject()) {
                out.add(personName(v));
            } else if (v.isValueNode() && !v.isNull()) {
                out.add(v.asText());
            }
        }
        return out;
    }

    /** The first value as text, null when the attribute is absent or empty. */
    public static String string(JsonNode dataset, int tag) {
        List<String> all = strings(dataset, tag);
        return all.isEmpty() || all.get(0).isEmpty() ? null : all.get(0);
    }

    /** The items of a sequence attribute. */
    public static List<JsonNode> items(JsonNode dataset, int tag) {
        List<JsonNode> out = new ArrayList<>();
        dataset.path(Tags.hex(tag)).path("Value").forEach(out::add);
        return out;
    }

    private static String personName(JsonNode pn) {
        String joined = String.join("=", pn.path("Alphabetic").asText(""), pn.path("Ideographic").asText(""),
                pn.path("Phonetic").asText(""));
        return joined.replaceAll("=+$", "");
    }

    /**
     * Copies the named attributes' values into a data set being written; a value the attribute's VR cannot
     * hold (too long, say) is left empty rather than written wrong.
     */
    public static DicomDataset copy(JsonNode dataset, Map<Integer, Vr> tags) {
        DicomDataset out = new DicomDataset();
        for (Map.Entry<Integer, Vr> e : tags.entrySet()) {
            List<String> values = strings(dataset, e.getKey());
            try {
                out.put(e.getKey(), e.getValue(), values.toArray(String[]::new));
            } catch (IllegalArgumentException invalid) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
