package dev.cutter.ledger;

import static dev.cutter.ledger.Database.instant;
import static dev.cutter.ledger.Database.query;
import static dev.cutter.ledger.Database.update;
import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The server's API tokens: hashed at rest, revoked by a time rather than deleted. */
final class SqlTokens {
    private static final String TOKEN_COLUMNS = "id, name, role, channels, token_hash, created_at, revoked_at";

    private final Database database;

    SqlTokens(Database database) {
        this.database = database;
    }

    void addToken(ApiToken token) {
        requireNonNull(token, "token");
        database.write("record the API token " + token.id(), c -> update(c, "INSERT INTO api_tokens (" + TOKEN_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)", token.id(), token.name(), token.role(), String.join(",", token.channels()),
                token.hash(), token.created().toEpochMilli(), token.revoked().map(Instant::toEpochMilli).orElse(null)));
    }

    Optional<ApiToken> token(String id) {
        return database.read("read the API token " + id, c -> query(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE id = ?",
                SqlTokens::toToken, id).stream().findFirst());
    }

    List<ApiToken> tokens() {
        return database.read("list the API tokens", c -> query(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens ORDER BY created_at, id",
                SqlTokens::toToken));
    }

    boolean revokeToken(String id) {
        return database.write("revoke the API token " + id, c -> update(c,
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", database.now().toEpochMilli(), id) == 1);
    }

    private static ApiToken toToken(ResultSet rs) throws SQLException {
        String channels = rs.getString(4);
        return new ApiToken(rs.getString(1), rs.getString(2), rs.getString(3),
                channels.isEmpty() ? List.of() : List.of(channels.split(",")), rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)), instant(rs, 7));
    }
}
