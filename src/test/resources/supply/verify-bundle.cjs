// Verifies a Sigstore bundle of a file with a public key, using sigstore-js (@sigstore/bundle and
// @sigstore/verify from npm, installed by scripts/setup): the bundle is parsed and checked as a
// v0.3 bundle, then the library's Verifier checks the signature with the key the bundle's hint
// names, with no transparency log entry, certificate or timestamp required (key-based signing, as
// `cosign verify-blob --key` trusts a key). The library's Verifier does not compare a message
// signature's digest with the artifact without a log entry, so that is checked here too.
// Usage: node verify-bundle.cjs BUNDLE FILE PUBLIC-KEY.pem ; exit 0 when it verifies.
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON, assertBundleLatest } = require('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

const [bundlePath, filePath, keyPath] = process.argv.slice(2);
try {
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
  assertBundleLatest(bundle);
  const artifact = fs.readFileSync(filePath);
  const hint = bundle.verificationMaterial.content.publicKey.hint;
  const key = crypto.createPublicKey(fs.readFileSync(keyPath, 'utf8'));
  const root = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };
  const trust = toTrustMaterial(root, (h) => {
    if (h !== hint) throw new Error('unknown key ' + h);
    return { publicKey: key, validFor: () => true };
  });
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  verifier.verify(toSignedEntity(bundle, artifact));
  const digest = crypto.createHash('sha256').update(artifact).digest();
  if (!digest.equals(Buffer.from(bundle.content.messageSignature.messageDigest.digest))) {
    throw new Error('the message digest is not the file\'s');
  }
  console.log('verified ' + filePath + ' with key ' + hint);
} catch (e) {
  console.error('not verified: ' + (e.code ? e.code + ': ' : '') + e.message);
  process.exit(1);
}
