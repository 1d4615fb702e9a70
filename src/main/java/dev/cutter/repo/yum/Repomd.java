package dev.cutter.repo.yum;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** repomd.xml: the revision and, per data type, where its file is and what it hashes to. */
record Repomd(long revision, List<Data> data) {
    record Data(String type, String checksum, String openChecksum, String href, long timestamp, long size,
            long openSize) {}

    byte[] render() {
        StringBuilder b = new StringBuilder(2048);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\""
                + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n");
        b.append("  <revision>").append(revision).append("</revision>\n");
        for (Data d : data) {
            b.append("  <data type=\"").append(d.type()).append("\">\n");
            b.append("    <checksum type=\"sha256\">").append(d.checksum()).append("</checksum>\n");
            b.append("    <open-checksum type=\"sha256\">").append(d.openChecksum()).append("</open-checksum>\n");
            b.append("    <location href=\"").append(MetadataXml.attr(d.href())).append("\"/>\n");
            b.append("    <timestamp>").append(d.timestamp()).append("</timestamp>\n");
            b.append("    <size>").append(d.size()).append("</size>\n");
            b.append("    <open-size>").append(d.openSize()).append("</open-size>\n");
            b.append("  </data>\n");
        }
        b.append("</repomd>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a repomd.xml (any createrepo's); only sha256 checksums are understood. */
    static Repomd parse(InputStream in, String source) throws IOException {
        try {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            long revision = 0;
            List<Data> data = new ArrayList<>();
            String type = null;
            String checksum = "";
            String openChecksum = "";
            String href = "";
            long timestamp = 0;
            long size = -1;
            long openSize = -1;
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "revision" -> revision = parseLong(xml.getElementText(), source);
                        case "data" -> {
                            type = xml.getAttributeValue(null, "type");
                            checksum = openChecksum = href = "";
                            timestamp = 0;
                            size = openSize = -1;
                        }
                        case "checksum" -> checksum = sha256(xml, source);
                        case "open-checksum" -> openChecksum = sha256(xml, source);
                        case "location" -> href = xml.getAttributeValue(null, "href");
                        case "timestamp" -> timestamp = parseLong(xml.getElementText(), source);
                        case "size" -> size = parseLong(xml.getElementText(), source);
                        case "open-size" -> openSize = parseLong(xml.getElementText(), source);
                        default -> { }
                    }
                } else if (xml.getEventType() == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("data")) {
                    data.add(new Data(type, checksum, openChecksum, href, timestamp, size, openSize));
                }
            }
            return new Repomd(revision, List.copyOf(data));
        } catch (XMLStreamException e) {
            throw new IOException(source + " is not a readable repomd.xml: " + e.getMessage(), e);
        }
    }

    private static String sha256(XMLStreamReader xml, String source) throws XMLStreamException, IOException {
        String type = xml.getAttributeValue(null, "type");
        String value = xml.getElementText().strip();
        if (!"sha256".equals(type)) {
            throw new IOException(source + " uses " + type + " checksums; only sha256 is supported");
        }
        return value;
    }

    private static long parseLong(String text, String source) throws IOException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IOException(source + ": not a number: " + text);
        }
    }
}
