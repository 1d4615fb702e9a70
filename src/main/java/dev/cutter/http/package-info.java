/**
 * The HTTP client layer every service client shares (registries, forges, webhooks): a
 * {@link dev.cutter.http.Sender} that tries passing failures again with
 * {@link dev.cutter.http.Backoff} (exponential, jittered, honouring {@code Retry-After} and rate-limit
 * resets, with a cap on waiting), one notion of what is passing ({@link dev.cutter.http.Retries}),
 * errors that name the request and the service's own message without credentials
 * ({@link dev.cutter.http.HttpException}), and bodies streamed from files that are checked against
 * their digest while they are sent ({@link dev.cutter.http.FileBody}).
 *
 * <p>Authentication stays with each client (a registry's token dance on 401, a forge's token
 * header): the layer sends what it is given and reports what came back.
 */
package dev.cutter.http;
