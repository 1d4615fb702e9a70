package dev.cutter.pin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.cutter.pin.PinEdit.Result;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@link Pin.JsonKey}: a scalar of a JSON document, found with a streaming parser (which knows
 * each token's offset) and rewritten in place, the rest of the text untouched. A string stays a
 * string; a number or {@code true}/{@code false} stays plain when the new value is one of the same
 * kind, else it becomes a string.
 */
final class JsonEdit {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    private JsonEdit() {}

    static Result apply(String text, Pin.JsonKey pin, String value) {
        return ValueSpan.apply(text, locate(text, pin), value, old -> render(old, text, value), t -> locate(t, pin), pin.toString());
    }

    static Result revert(String text, Pin.JsonKey pin, String value, String previous, String previousSource) {
        return ValueSpan.revert(text, locate(text, pin), value, previous, previousSource, pin.toString());
    }

    private static String render(ValueSpan old, String text, String value) {
        if (!old.string()) {
            String source = old.source(text);
            boolean number = NUMBER.matcher(source).matches();
            if (number && NUMBER.matcher(value).matches() || !number && (value.equals("true") || value.equals("false"))) {
                return value;
            }
        }
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    static ValueSpan locate(String text, Pin.JsonKey pin) {
        String what = pin.toString();
        List<YamlText.Segment> path = YamlText.parsePath(pin.dottedPath());
        try (JsonParser p = JSON.createParser(text)) {
            p.nextToken();
            StringBuilder at = new StringBuilder();
            for (YamlText.Segment segment : path) {
                switch (segment) {
                    case YamlText.Segment.Key key -> {
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            throw new PinException(what + ": " + where(at) + " is not an object (line " + line(p) + ")");
                        }
                        boolean found = false;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            if (name.equals(key.key())) {
                                found = true;
                                break;
                            }
                            p.skipChildren();
                        }
                        if (!found) {
                            throw new PinException(what + ": " + where(at) + " has no key '" + key.key() + "'");
                        }
                        at.append(at.isEmpty() ? "" : ".").append(key.key());
                    }
                    case YamlText.Segment.Index index -> {
                        if (p.currentToken() != JsonToken.START_ARRAY) {
                            throw new PinException(what + ": " + where(at) + " is not an array (line " + line(p) + ")");
                        }
                        int i = 0;
                        boolean found = false;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (i++ == index.index()) {
                                found = true;
                                break;
                            }
                            p.skipChildren();
                        }
                        if (!found) {
                            throw new PinException(what + ": " + where(at) + " has " + i + " items, no [" + index.index() + "]");
                        }
                        at.append('[').append(index.index()).append(']');
                    }
                }
            }
            JsonToken token = p.currentToken();
            if (token == null || token.isStructStart() || token == JsonToken.VALUE_NULL) {
                throw new PinException(what + ": " + where(at) + " is " + (token == JsonToken.VALUE_NULL ? "null" : "not a single value")
                        + " (line " + line(p) + "); a pin sets a string, number or boolean");
            }
            int start = (int) p.currentTokenLocation().getCharOffset();
            int lineNr = p.currentTokenLocation().getLineNr();
            String value = p.getText(); // reads the whole token, so the location is after it
            int end = (int) p.currentLocation().getCharOffset();
            return new ValueSpan(start, end, value, token == JsonToken.VALUE_STRING, lineNr);
        } catch (JsonProcessingException e) {
            throw new PinException(what + ": not valid JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new PinException(what + ": " + e.getMessage());
        }
    }

    private static String where(CharSequence at) {
        return at.isEmpty() ? "the document" : "'" + at + "'";
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
