/**
 * {@code cutter serve}: the REST API, server-sent events, the dashboard, access control and
 * webhooks, a thin shell over the same services the CLI calls ({@link dev.cutter.run.Releaser},
 * the {@link dev.cutter.ledger.Ledger}, {@link dev.cutter.trigger.Triggers}). Everything the
 * server shows it reads from the ledger, so runs started elsewhere (the CLI, another server on a
 * shared ledger) show as live as its own.
 */
package dev.cutter.server;
