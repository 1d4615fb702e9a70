package dev.cutter.ledger;

/**
 * What a run does. Only releases and promotions publish, so only they claim a version and say
 * whether it is released; a verification reads what was published and records whether it is still
 * as it was.
 */
public enum RunKind {
    /** {@code cutter release}: builds and publishes a version. */
    RELEASE,
    /** {@code cutter promote}: publishes a candidate's digests as another version, building nothing. */
    PROMOTION,
    /** {@code cutter verify}: a released version's checks run again against its targets. */
    VERIFICATION;

    /** Whether a succeeded run of this kind means its version is published. */
    public boolean publishes() {
        return this != VERIFICATION;
    }
}
