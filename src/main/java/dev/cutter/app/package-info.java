/**
 * The composition root: builds Cutter's services from the environment, the clock and the working
 * directory it is given. The CLI and the server are thin shells over it, and it is the one place
 * that reads the process's environment. A package of its own because it sits above {@code run},
 * {@code ledger} and the capabilities, and below {@code cli} and {@code server}, which both use it.
 */
package dev.cutter.app;
