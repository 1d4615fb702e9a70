package dev.cutter.ledger;

/**
 * The ledger cannot be opened, read or written: a location Cutter does not support, a file written
 * by a newer Cutter, a file locked for too long, an unknown run or job. The message names the
 * ledger and what to do.
 */
public class LedgerException extends RuntimeException {
    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
