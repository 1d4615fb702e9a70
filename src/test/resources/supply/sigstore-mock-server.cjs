// A FAKE of Sigstore's public services, Fulcio and Rekor, for tests: npm's @sigstore/mock (the
// Sigstore project's own mock, which answers as their API documentation says: Fulcio's
// POST /api/v2/signingCert with a certificate chain whose leaf embeds an SCT, Rekor's
// POST /api/v1/log/entries with the entry, its inclusion proof, checkpoint and signed entry
// timestamp) served over HTTP on loopback instead of through nock. The mock takes the OIDC token's
// claims as they are (it checks no signature and no proof of possession), so the tests give it
// unsigned tokens; what a verifier checks (the chain, the SCT, the log entry, the identity) is
// real. Its CA's root, CT log key and transparency log key are written as a Sigstore trusted root
// (application/vnd.dev.sigstore.trustedroot+json;version=0.1) for sigstore-js and cosign.
//
// Usage: node sigstore-mock-server.cjs TRUSTED-ROOT.json ; prints "listening http://127.0.0.1:PORT".
// Test controls (not Sigstore's API): POST /__mock/fail {"path", "status", "times", "headers",
// "body"} answers the next `times` requests to `path` with that error instead (status 0: no answer
// at all, a service that stalls); GET /__mock/requests counts the requests each path received.
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const { initializeCA, initializeCTLog, fulcioHandler, initializeTLog, rekorHandler } = require('@sigstore/mock');

const [rootPath] = process.argv.slice(2);
const failures = {};
const counts = {};

async function main() {
  const caKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const logKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctlog = await initializeCTLog(ctKeys);
  const ca = await initializeCA(caKeys, ctlog);
  const fulcio = fulcioHandler(ca, { strict: true });

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e && e.message));
    }));
  });
  let rekor;
  async function handle(req, res, body) {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/__mock/fail' && req.method === 'POST') {
      const f = JSON.parse(body);
      failures[f.path] = f;
      return answer(res, 204, '', {});
    }
    if (path === '/__mock/requests') {
      return answer(res, 200, JSON.stringify(counts), { 'Content-Type': 'application/json' });
    }
    counts[path] = (counts[path] || 0) + 1;
    const failure = failures[path];
    if (failure && failure.times > 0) {
      failure.times--;
      if (failure.status === 0) {
        return; // never answered
      }
      return answer(res, failure.status, failure.body || '', failure.headers || {});
    }
    const handler = req.method !== 'POST' ? null
      : path === fulcio.path ? fulcio
      : path === rekor.path ? rekor : null;
    if (!handler) {
      return answer(res, 404, JSON.stringify({ code: 404, message: 'path ' + path + ' was not found' }),
        { 'Content-Type': 'application/json' });
    }
    const result = await handler.fn(body);
    // Fulcio and Rekor answer errors as JSON {code, message}; the mock answers plain text
    const error = result.statusCode >= 400;
    answer(res, result.statusCode,
      error ? JSON.stringify({ code: result.statusCode, message: String(result.response) }) : result.response,
      { 'Content-Type': error ? 'application/json' : result.contentType || 'application/json' });
  }

  server.listen(0, '127.0.0.1', async () => {
    const url = 'http://127.0.0.1:' + server.address().port;
    const tlog = await initializeTLog(url, logKeys);
    rekor = rekorHandler(tlog, { strict: true });
    const start = new Date(Date.now() - 3600 * 1000).toISOString();
    const der = (key) => key.export({ format: 'der', type: 'spki' });
    const keyId = (bytes) => crypto.createHash('sha256').update(bytes).digest().toString('base64');
    const log = (base, key, id) => ({
      baseUrl: base,
      hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: der(key).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
      logId: { keyId: id },
    });
    const root = {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [log(url, logKeys.publicKey, keyId(der(logKeys.publicKey)))],
      certificateAuthorities: [{
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: url,
        certChain: { certificates: [{ rawBytes: ca.rootCertificate.toString('base64') }] },
        validFor: { start },
      }],
      ctlogs: [log(url, ctKeys.publicKey, Buffer.from(ctlog.logID).toString('base64'))],
      timestampAuthorities: [],
    };
    fs.writeFileSync(rootPath, JSON.stringify(root, null, 2));
    console.log('listening ' + url);
  });
}

function answer(res, status, body, headers) {
  res.writeHead(status, headers);
  res.end(body);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
