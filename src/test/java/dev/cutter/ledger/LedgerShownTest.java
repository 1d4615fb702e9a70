package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A ledger location as messages show it: never any part of its password. */
class LedgerShownTest {
    @Test
    void thePasswordIsMaskedWhateverItHolds() {
        assertThat(Ledger.shown("postgresql://cutter:s3cret@db:5432/ledger")).isEqualTo("postgresql://cutter:***@db:5432/ledger");
        // the URL's last @ ends the user information, as the ledger reads it: a password may hold an @
        assertThat(Ledger.shown("postgresql://cutter:p@ss@db/ledger")).isEqualTo("postgresql://cutter:***@db/ledger");
        assertThat(Ledger.shown("postgres://db/ledger?user=cutter&password=s3cret&sslmode=require"))
                .isEqualTo("postgres://db/ledger?user=cutter&password=***&sslmode=require");
        assertThat(Ledger.shown(".cutter/ledger.db")).isEqualTo(".cutter/ledger.db");
    }
}
