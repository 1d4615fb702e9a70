/**
 * {@code cutter rebuild --check}: the proof that a recorded release is reproducible. A release's
 * commit is checked out in a clean temporary clone, planned again with the request the ledger
 * recorded and built without publishing; every digest it makes is compared with the one the
 * release recorded, and where two differ, the entries of the two files (an archive's, a
 * package's, an image's layers) are compared one by one.
 */
package dev.cutter.rebuild;
