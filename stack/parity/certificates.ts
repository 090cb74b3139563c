import crypto from 'node:crypto';
import forge from 'node-forge';

export type IssuedCertificates = {
  /** The CA the run trusts (PEM): the only file that leaves the stack. */
  caPem: string;
  /** The server certificate for every host, then the CA (PEM chain). */
  certPem: string;
  keyPem: string;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A CA made at start and a server certificate it issues for the stack's host names, as cert-manager
 * issues an ingress's. node-forge builds and signs the X.509 structures (Node's crypto verifies
 * certificates but cannot issue them; node-forge is the long-kept, dependency-free library that
 * selfsigned and most dev-certificate tools use). The RSA keys come from node:crypto, natively:
 * forge's own key generation is pure JavaScript and takes seconds. The CA's key never leaves memory.
 */
export function issueCertificates(
  hosts: readonly string[],
  now = new Date(),
  randomBytes: (size: number) => Buffer = crypto.randomBytes,
): IssuedCertificates {
  const caKeys = rsaKeyPair();
  const ca = certificate({
    subject: 'packgate parity CA',
    issuer: undefined,
    publicKey: caKeys.publicKey,
    serialNumber: serialNumber(randomBytes(16)),
    now,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = rsaKeyPair();
  const server = certificate({
    subject: hosts[0],
    issuer: ca,
    publicKey: serverKeys.publicKey,
    serialNumber: serialNumber(randomBytes(16)),
    now,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hosts.map(value => ({ type: 2, value })) },
    ],
  });
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  const caPem = forge.pki.certificateToPem(ca);
  return {
    caPem,
    certPem: forge.pki.certificateToPem(server) + caPem,
    keyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}

function rsaKeyPair(): forge.pki.rsa.KeyPair {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/**
 * A positive random serial (RFC 5280 4.1.2.2) that DER encodes as it is: its first byte neither
 * 0x80 or above (a negative number) nor 0x00 (a zero byte before one below 0x80 is padding, which
 * OpenSSL 3 refuses: "illegal padding", one stack start in about 128 when a random serial began with
 * one). Hex, as node-forge takes it.
 */
export function serialNumber(random: Buffer): string {
  const bytes = Buffer.from(random);
  bytes[0] = bytes[0] & 0x7f || 0x01;
  return bytes.toString('hex');
}

function certificate(options: {
  subject: string;
  issuer: forge.pki.Certificate | undefined;
  publicKey: forge.pki.PublicKey;
  serialNumber: string;
  now: Date;
  extensions: object[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = options.serialNumber;
  // Valid from a minute ago, so a clock a little behind still accepts it; for a week.
  cert.validity.notBefore = new Date(options.now.getTime() - 60_000);
  cert.validity.notAfter = new Date(options.now.getTime() + 7 * DAY_MS);
  const subject = [{ name: 'commonName', value: options.subject }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.subject.attributes : subject);
  cert.setExtensions(options.extensions);
  return cert;
}
