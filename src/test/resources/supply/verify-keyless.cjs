// Verifies a keyless Sigstore bundle of a file, using sigstore-js (@sigstore/bundle and
// @sigstore/verify from npm, installed by scripts/setup) as cosign verify-blob --bundle does: the
// bundle is parsed and checked as a v0.3 bundle; the certificate must chain to a certificate
// authority of the trusted root and carry an SCT of one of its CT logs; the transparency log entry
// must have a valid inclusion proof (checkpoint signed by a log of the trusted root) and signed
// entry timestamp, its time within the certificate's validity, and its body must be this
// signature, digest and certificate; the signature must verify over the file with the
// certificate's key; and the certificate's identity (its subject alternative name, matched whole)
// and OIDC issuer must be the expected ones. Every threshold is sigstore-js's default: one SCT,
// one log entry, one timestamp. A v0.1 bundle (a signed entry timestamp, no inclusion proof) is
// accepted as sigstore-js accepts it: what cosign's keyless image signature layer holds.
// Usage: node verify-keyless.cjs BUNDLE FILE TRUSTED-ROOT.json IDENTITY ISSUER ; exit 0 when it verifies.
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON, assertBundleLatest, assertBundleV01, BUNDLE_V01_MEDIA_TYPE } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

const [bundlePath, filePath, rootPath, identity, issuer] = process.argv.slice(2);
try {
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
  // a v0.1 bundle is what cosign's image signature layer holds (the SET, no inclusion proof): the
  // tests build one from the layer's annotations; everything else must be the newest format
  if (bundle.mediaType === BUNDLE_V01_MEDIA_TYPE) {
    assertBundleV01(bundle);
  } else {
    assertBundleLatest(bundle);
  }
  const artifact = fs.readFileSync(filePath);
  const trust = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(rootPath, 'utf8'))));
  const verifier = new Verifier(trust);
  const escaped = identity.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const signer = verifier.verify(toSignedEntity(bundle, artifact),
    { subjectAlternativeName: '^' + escaped + '$', extensions: { issuer } });
  const digest = crypto.createHash('sha256').update(artifact).digest();
  if (!digest.equals(Buffer.from(bundle.content.messageSignature.messageDigest.digest))) {
    throw new Error('the message digest is not the file\'s');
  }
  console.log('verified ' + filePath + ' signed by ' + signer.identity.subjectAlternativeName
    + ' (' + signer.identity.extensions.issuer + ')');
} catch (e) {
  console.error('not verified: ' + (e.code ? e.code + ': ' : '') + e.message);
  process.exit(1);
}
