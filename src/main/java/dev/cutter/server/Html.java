package dev.cutter.server;

import java.util.Optional;

/**
 * The dashboard's page frame and escaping. Pages are plain server-rendered HTML; the one script
 * ({@code /static/app.js}) only applies server-sent events to what the server drew.
 */
final class Html {
    private Html() {}

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A query-string value. */
    static String url(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A whole page: navigation, who is logged in (with the logout form), then {@code body}. */
    static String page(String title, Optional<Principal> who, String csrf, String body) {
        StringBuilder nav = new StringBuilder();
        nav.append("<nav><a class=\"brand\" href=\"/\">Cutter</a><a href=\"/\">Runs</a><a href=\"/releases\">Published</a>");
        if (who.isPresent() && who.get().role().includes(Role.RELEASER)) {
            nav.append("<a href=\"/release\">Release</a><a href=\"/promote\">Promote</a>");
        }
        if (who.isPresent() && who.get().role().includes(Role.ADMIN)) {
            nav.append("<a href=\"/audit\">Audit</a>");
        }
        who.ifPresent(p -> nav.append("<span class=\"who\">").append(escape(p.name())).append(" · ").append(p.role().label())
                .append("<form method=\"post\" action=\"/logout\">").append(csrfField(csrf))
                .append("<button type=\"submit\">Log out</button></form></span>"));
        nav.append("</nav>");
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + " · Cutter</title>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"csrf-token\" content=\"" + escape(csrf) + "\">"
                + "<link rel=\"stylesheet\" href=\"/static/app.css\"><script src=\"/static/app.js\" defer></script></head><body>"
                + nav + "<main>" + body + "</main></body></html>";
    }

    static String csrfField(String csrf) {
        return csrf == null || csrf.isEmpty() ? "" : "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">";
    }

    static String state(String state) {
        return "<span class=\"state state-" + escape(state) + "\">" + escape(state) + "</span>";
    }
}
