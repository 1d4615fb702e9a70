package dev.cutter.pin;

import dev.cutter.pin.PinEdit.Result;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** {@link Pin.KustomizeImage}: {@code newTag}/{@code digest} of one {@code images:} entry, added when missing. */
final class KustomizeEdit {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    private KustomizeEdit() {}

    /** The entry, and the field's scalar if the entry has it. */
    private record Target(MappingNode entry, boolean flow, NodeTuple field, YamlText.Scalar scalar) {}

    static Result apply(String text, Pin.KustomizeImage pin, String value) {
        String what = pin.toString();
        if (pin.field() == Pin.Field.NEW_TAG && !TAG.matcher(value).matches()) {
            throw new PinException(what + ": '" + value + "' is not a valid image tag (letters, digits, _ . -, up to 128,"
                    + " not starting with . or -)");
        }
        if (pin.field() == Pin.Field.DIGEST && !DIGEST.matcher(value).matches()) {
            throw new PinException(what + ": '" + value + "' is not an image digest; give sha256: and 64 lowercase hex digits");
        }
        Target target = locate(text, pin);
        if (target.scalar() != null) {
            return YamlEdit.set(text, target.scalar(), value, false, what, t -> scalarOf(t, pin));
        }
        String edited = add(text, target, pin.field().key(), value);
        YamlText.Scalar now = scalarOf(edited, pin);
        if (!now.value().equals(value) || now.style() == ScalarStyle.PLAIN && !now.tag().equals(org.yaml.snakeyaml.nodes.Tag.STR)) {
            throw new IllegalStateException(what + ": adding '" + value + "' reads back as '" + now.value() + "'");
        }
        return new Result(edited, null, true, null);
    }

    static Result revert(String text, Pin.KustomizeImage pin, String value, String previous, String previousSource) {
        String what = pin.toString();
        Target target = locate(text, pin);
        String where = "image '" + pin.name() + "' " + pin.field().key();
        if (previousSource != null) {
            if (target.scalar() == null) {
                throw PinEdit.changedSince(what, where, null, value);
            }
            return YamlEdit.restore(text, target.scalar(), value, previous, previousSource, what, where, t -> scalarOf(t, pin));
        }
        if (target.scalar() == null) {
            return new Result(text, null, false, null); // removed already
        }
        if (!target.scalar().value().equals(value)) {
            throw PinEdit.changedSince(what, where + " (line " + target.scalar().line() + ")", target.scalar().value(), value);
        }
        String reverted = remove(text, target);
        if (locate(reverted, pin).scalar() != null) {
            throw new IllegalStateException(what + ": removing the added field left it in place");
        }
        return new Result(reverted, value, true, target.scalar().source(text));
    }

    private static YamlText.Scalar scalarOf(String text, Pin.KustomizeImage pin) {
        Target target = locate(text, pin);
        if (target.scalar() == null) {
            throw new IllegalStateException(pin + ": the field is missing after the edit");
        }
        return target.scalar();
    }

    private static Target locate(String text, Pin.KustomizeImage pin) {
        String what = pin.toString();
        Node root = YamlText.compose(text);
        YamlText.Found images = YamlText.walk(root, List.of(new YamlText.Segment.Key("images")), what);
        if (!(images.node() instanceof SequenceNode list)) {
            throw new PinException(what + ": 'images' (line " + YamlText.line(images.node()) + ") is not a list of images");
        }
        List<MappingNode> hits = list.getValue().stream().filter(item -> item instanceof MappingNode m
                && pin.name().equals(scalarValue(m, "name"))).map(MappingNode.class::cast).toList();
        if (hits.isEmpty()) {
            List<String> names = list.getValue().stream().filter(MappingNode.class::isInstance)
                    .map(item -> scalarValue((MappingNode) item, "name")).filter(n -> n != null).toList();
            throw new PinException(what + ": no entry with name '" + pin.name() + "' in images (line " + YamlText.line(list) + ")"
                    + (names.isEmpty() ? ", which is empty" : "; the names there are " + String.join(", ", names))
                    + ". Add the image to the kustomization first, or fix the name");
        }
        if (hits.size() > 1) {
            throw new PinException(what + ": images has " + hits.size() + " entries named '" + pin.name() + "' (lines "
                    + String.join(", ", hits.stream().map(h -> String.valueOf(YamlText.line(h))).toList()) + "); keep one");
        }
        MappingNode entry = hits.get(0);
        int index = list.getValue().indexOf(entry);
        boolean flow = list.getFlowStyle() == FlowStyle.FLOW || entry.getFlowStyle() == FlowStyle.FLOW;
        List<NodeTuple> fields = entry.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(pin.field().key())).toList();
        if (fields.size() > 1) {
            throw new PinException(what + ": image '" + pin.name() + "' has " + fields.size() + " " + pin.field().key() + " keys; keep one");
        }
        if (fields.isEmpty()) {
            return new Target(entry, flow, null, null);
        }
        YamlText.Found found = new YamlText.Found(fields.get(0).getValueNode(), fields.get(0).getKeyNode(), flow,
                "images[" + index + "]." + pin.field().key());
        YamlText.Scalar scalar = YamlText.scalar(text, found, what);
        return new Target(entry, flow, fields.get(0), scalar);
    }

    private static String scalarValue(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key) && t.getValueNode() instanceof ScalarNode v) {
                return v.getValue();
            }
        }
        return null;
    }

    /** Adds {@code key: value} as the entry's last field. */
    private static String add(String text, Target target, String key, String value) {
        MappingNode entry = target.entry();
        List<NodeTuple> fields = entry.getValue();
        if (fields.isEmpty()) {
            throw new PinException("kustomize-image: the entry at line " + YamlText.line(entry) + " is empty");
        }
        Node last = fields.get(fields.size() - 1).getValueNode();
        String rendered = YamlText.plainString(value, target.flow()) ? value : YamlText.doubleQuoted(value);
        int end = YamlText.offset(text, last.getEndMark());
        if (entry.getFlowStyle() == FlowStyle.FLOW) {
            return text.substring(0, end) + ", " + key + ": " + rendered + text.substring(end);
        }
        if (!(last instanceof ScalarNode s) || s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED) {
            throw new PinException("kustomize-image: the entry at line " + YamlText.line(entry) + " ends in a nested value;"
                    + " add '" + key + ":' to it by hand once");
        }
        int keyStart = YamlText.offset(text, fields.get(0).getKeyNode().getStartMark());
        int lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
        String indent = " ".repeat(keyStart - lineStart);
        String line = indent + key + ": " + rendered;
        int eol = text.indexOf('\n', end);
        if (eol < 0) {
            return text + lineEnding(text) + line;
        }
        String nl = eol > 0 && text.charAt(eol - 1) == '\r' ? "\r\n" : "\n";
        return text.substring(0, eol + 1) + line + nl + text.substring(eol + 1);
    }

    /** Removes the field {@link #add} added. */
    private static String remove(String text, Target target) {
        List<NodeTuple> fields = target.entry().getValue();
        int at = fields.indexOf(target.field());
        int keyStart = YamlText.offset(text, target.field().getKeyNode().getStartMark());
        if (target.entry().getFlowStyle() == FlowStyle.FLOW) {
            if (at == 0 || at + 1 < fields.size()) {
                throw new PinException("kustomize-image: the added " + target.scalar().value() + " is no longer the entry's last"
                        + " field (line " + target.scalar().line() + "); remove it by hand");
            }
            int from = YamlText.offset(text, fields.get(at - 1).getValueNode().getEndMark());
            return text.substring(0, from) + text.substring(target.scalar().end());
        }
        int lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
        if (!text.substring(lineStart, keyStart).isBlank()) {
            throw new PinException("kustomize-image: the added field shares line " + target.scalar().line()
                    + " with another key; remove it by hand");
        }
        int eol = text.indexOf('\n', target.scalar().end());
        if (eol >= 0) {
            return text.substring(0, lineStart) + text.substring(eol + 1);
        }
        int previousEnd = lineStart >= 2 && text.charAt(lineStart - 2) == '\r' ? lineStart - 2 : lineStart - 1;
        return text.substring(0, Math.max(previousEnd, 0));
    }

    private static String lineEnding(String text) {
        int eol = text.indexOf('\n');
        return eol > 0 && text.charAt(eol - 1) == '\r' ? "\r\n" : "\n";
    }
}
