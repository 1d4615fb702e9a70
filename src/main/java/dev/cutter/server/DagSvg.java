package dev.cutter.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan's job DAG as SVG, laid out on the server: each job in the column of its depth (the
 * longest chain of needs before it), in plan order within a column, an edge from each need to
 * the job. Nodes carry {@code data-job} and a {@code state-…} class, which the page's script
 * changes as events arrive; nothing is laid out in the browser.
 */
final class DagSvg {
    static final int WIDTH = 210;
    static final int HEIGHT = 28;
    static final int COLUMN_GAP = 50;
    static final int ROW_GAP = 10;
    static final int MARGIN = 10;

    /** One job of the plan: its id, kind and needs. */
    record Node(String id, String kind, List<String> needs) {}

    private DagSvg() {}

    static String render(List<Node> nodes, Map<String, String> states) {
        Map<String, Integer> depth = new HashMap<>();
        Map<String, Node> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        for (Node n : nodes) {
            depth(n, byId, depth, new ArrayList<>());
        }
        Map<Integer, Integer> rows = new HashMap<>();
        Map<String, int[]> at = new HashMap<>();
        for (Node n : nodes) {
            int column = depth.get(n.id());
            int row = rows.merge(column, 1, Integer::sum) - 1;
            at.put(n.id(), new int[] {MARGIN + column * (WIDTH + COLUMN_GAP), MARGIN + row * (HEIGHT + ROW_GAP)});
        }
        int columns = depth.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        int maxRows = rows.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int width = 2 * MARGIN + Math.max(1, columns) * WIDTH + Math.max(0, columns - 1) * COLUMN_GAP;
        int height = 2 * MARGIN + Math.max(1, maxRows) * (HEIGHT + ROW_GAP) - ROW_GAP;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dag\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\">");
        svg.append("<g class=\"edges\">");
        for (Node n : nodes) {
            int[] to = at.get(n.id());
            for (String need : n.needs()) {
                int[] from = at.get(need);
                if (from == null) {
                    continue;
                }
                int x1 = from[0] + WIDTH;
                int y1 = from[1] + HEIGHT / 2;
                int x2 = to[0];
                int y2 = to[1] + HEIGHT / 2;
                int mid = (x1 + x2) / 2;
                svg.append("<path d=\"M").append(x1).append(',').append(y1).append(" C").append(mid).append(',').append(y1)
                        .append(' ').append(mid).append(',').append(y2).append(' ').append(x2).append(',').append(y2).append("\"/>");
            }
        }
        svg.append("</g>");
        for (Node n : nodes) {
            int[] p = at.get(n.id());
            String state = states.getOrDefault(n.id(), "pending");
            svg.append("<g class=\"node state-").append(Html.escape(state)).append("\" data-job=\"").append(Html.escape(n.id()))
                    .append("\" transform=\"translate(").append(p[0]).append(',').append(p[1]).append(")\">")
                    .append("<title>").append(Html.escape(n.id() + " (" + n.kind() + "): " + state)).append("</title>")
                    .append("<rect width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" rx=\"5\"/>")
                    .append("<text x=\"8\" y=\"18\">").append(Html.escape(shorten(n.id()))).append("</text></g>");
        }
        return svg.append("</svg>").toString();
    }

    private static int depth(Node n, Map<String, Node> byId, Map<String, Integer> depth, List<String> path) {
        Integer known = depth.get(n.id());
        if (known != null) {
            return known;
        }
        if (path.contains(n.id())) {
            return 0; // a plan is acyclic; a broken record must not hang the page
        }
        path.add(n.id());
        int d = 0;
        for (String need : n.needs()) {
            Node m = byId.get(need);
            if (m != null) {
                d = Math.max(d, depth(m, byId, depth, path) + 1);
            }
        }
        path.remove(path.size() - 1);
        depth.put(n.id(), d);
        return d;
    }

    private static String shorten(String id) {
        return id.length() <= 30 ? id : id.substring(0, 29) + "…";
    }
}
