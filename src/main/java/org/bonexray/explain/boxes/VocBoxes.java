package org.bonexray.explain.boxes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.bonexray.data.DataException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Pascal VOC xml boxes: {@code <annotation><filename>}, optional {@code <path>} and {@code <size>}, and per
 * {@code <object>} a {@code <bndbox>} of {@code xmin ymin xmax ymax}. VOC counts pixels from 1 and includes both
 * edges, so pixel columns {@code xmin..xmax} are 0-based columns {@code xmin-1..xmax-1}: the box becomes
 * {@code [xmin-1, xmax)} (and the same for rows). These are untrusted files: a DOCTYPE (the door to external and
 * expanding entities) is refused, no external resource is fetched, and a file over 1 MiB is refused unparsed.
 */
final class VocBoxes {
    private VocBoxes() {
    }

    static List<SourceBox> read(Path source) {
        DocumentBuilder parser = parser();
        List<SourceBox> boxes = new ArrayList<>();
        for (Path file : AnnotationFiles.files(source, ".xml")) {
            boxes.addAll(read(parser, file, AnnotationFiles.relative(source, file)));
        }
        return boxes;
    }

    private static List<SourceBox> read(DocumentBuilder parser, Path file, String relative) {
        Document doc;
        try {
            doc = parser.parse(new ByteArrayInputStream(AnnotationFiles.bytes(file, AnnotationFiles.MAX_PER_IMAGE_FILE)));
        } catch (SAXException | IOException e) {
            throw new DataException(file, "not a Pascal VOC xml file: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        String fileName = text(root, "filename");
        if (!"annotation".equals(root.getTagName()) || fileName.isEmpty()) {
            throw new DataException(file, "a Pascal VOC file is an <annotation> with a <filename>");
        }
        Element size = child(root, "size");
        int width = size == null ? 0 : (int) number(file, "size", size, "width", true);
        int height = size == null ? 0 : (int) number(file, "size", size, "height", true);
        List<String> spellings = spellings(root, relative, fileName);
        List<SourceBox> boxes = new ArrayList<>();
        NodeList objects = root.getElementsByTagName("object");
        for (int i = 0; i < objects.getLength(); i++) {
            String where = "object " + (i + 1);
            Element box = child((Element) objects.item(i), "bndbox");
            if (box == null) {
                throw new DataException(file, where + ": no <bndbox>");
            }
            try {
                boxes.add(new SourceBox(spellings, number(file, where, box, "xmin", false) - 1,
                        number(file, where, box, "ymin", false) - 1, number(file, where, box, "xmax", false),
                        number(file, where, box, "ymax", false), false, width, height, file, where));
            } catch (IllegalArgumentException e) {
                throw new DataException(file, where + ": " + e.getMessage(), e);
            }
        }
        return boxes;
    }

    /** The image's names: its {@code <path>}, the annotation's folder with {@code <filename>}, the bare name. */
    private static List<String> spellings(Element root, String relative, String fileName) {
        Set<String> spellings = new LinkedHashSet<>();
        String path = text(root, "path");
        if (!path.isEmpty()) {
            spellings.add(path);
        }
        int slash = relative.lastIndexOf('/');
        if (slash > 0) {
            spellings.add(relative.substring(0, slash + 1) + fileName);
        }
        spellings.add(fileName);
        return List.copyOf(spellings);
    }

    private static double number(Path file, String where, Element parent, String tag, boolean optional) {
        String text = text(parent, tag);
        if (text.isEmpty() && optional) {
            return 0;
        }
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the entry
        }
        throw new DataException(file, where + ": <" + tag + "> is '" + text + "', not a finite number");
    }

    private static Element child(Element parent, String tag) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? "" : e.getTextContent().trim();
    }

    /** The JDK's DOM parser with DOCTYPEs refused and every external access closed. */
    private static DocumentBuilder parser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder parser = f.newDocumentBuilder();
            parser.setErrorHandler(QUIET); // the exception carries the message; no "[Fatal Error]" on stderr
            return parser;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a hardening feature", e);
        }
    }

    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
