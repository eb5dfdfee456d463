// RFC 3161 time-stamp tokens of audit checkpoints, in both directions: the request sent to a
// time-stamping authority and the token taken from its reply (timestamps.ts), and the check of a
// stored token against the TSA's certificate (timestamp-verify.ts). The ASN.1/CMS work is PKI.js's.
import { createHash, randomInt, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const SIGNED_DATA = '1.2.840.113549.1.7.2';
/** Digest algorithms a token's imprint may use, by OID. */
const IMPRINT_DIGESTS: Record<string, string> = {
  [SHA256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * What a checkpoint's token stamps: its Ed25519 signature, which covers every signed field of the
 * checkpoint (checkpoint-signature.ts), so the token dates the whole checkpoint.
 */
export const timestampedBytes = (checkpointSignature: string) => Buffer.from(checkpointSignature, 'base64');

const arrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** A TimeStampReq (DER) for the SHA-256 of `data`, asking for the TSA's certificate, with a fresh nonce. */
export function timestampRequest(data: Buffer): { der: Buffer; nonce: number } {
  const nonce = randomInt(1, 2 ** 47);
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: arrayBuffer(createHash('sha256').update(data).digest()) }),
    }),
    nonce: asn1js.Integer.fromBigInt(nonce),
    certReq: true,
  });
  return { der: Buffer.from(request.toSchema().toBER(false)), nonce };
}

/** A token read apart: its SignedData and TSTInfo. Throws on anything that is not a token. */
function readToken(token: Buffer): { signedData: pkijs.SignedData; tstInfo: pkijs.TSTInfo } {
  const contentInfo = pkijs.ContentInfo.fromBER(arrayBuffer(token));
  if (contentInfo.contentType !== SIGNED_DATA) throw new Error('not a CMS SignedData');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) throw new Error('no TSTInfo');
  return { signedData, tstInfo: pkijs.TSTInfo.fromBER(eContent.getValue()) };
}

/** Whether the token's imprint is the digest of `data` (with an algorithm it names and we know). */
function imprintMatches(tstInfo: pkijs.TSTInfo, data: Buffer): boolean {
  const algorithm = IMPRINT_DIGESTS[tstInfo.messageImprint.hashAlgorithm.algorithmId];
  if (!algorithm) return false;
  const imprint = Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
  return imprint.equals(createHash(algorithm).update(data).digest());
}

/**
 * The token from a TSA's TimeStampResp (DER) to `request`, with its genTime. Throws when the TSA
 * refused, or answered with a token for other data or another nonce.
 */
export function tokenFromResponse(response: Buffer, request: { data: Buffer; nonce: number }) {
  const reply = pkijs.TimeStampResp.fromBER(arrayBuffer(response));
  const status = reply.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const text = reply.status.statusStrings?.map((line) => line.valueBlock.value).join('; ');
    throw new Error(`the TSA refused (PKIStatus ${status}${text ? `: ${text}` : ''})`);
  }
  if (!reply.timeStampToken) throw new Error('the TSA granted but sent no token');
  const token = Buffer.from(reply.timeStampToken.toSchema().toBER(false));
  const { tstInfo } = readToken(token);
  if (!imprintMatches(tstInfo, request.data)) throw new Error('the TSA stamped other data');
  if (tstInfo.nonce?.toBigInt() !== BigInt(request.nonce)) throw new Error('the TSA answered another request');
  return { token, genTime: tstInfo.genTime };
}

/** The TSA certificate a token must be signed with (AUDIT_TSA_CERT_FILE). */
export interface TsaCertificate {
  certificate: pkijs.Certificate;
  validFrom: Date;
  validTo: Date;
}

/** Reads the TSA's certificate from PEM. */
export function parseTsaCertificate(pem: string): TsaCertificate {
  const x509 = new X509Certificate(pem);
  return {
    certificate: pkijs.Certificate.fromBER(arrayBuffer(x509.raw)),
    validFrom: new Date(x509.validFrom),
    validTo: new Date(x509.validTo),
  };
}

/** A token's check: its genTime when valid, else why not. */
export type TokenCheck = { valid: true; genTime: Date } | { valid: false; problem: string };

/**
 * Checks a stored token: its imprint is the digest of `data`, it is signed by the TSA certificate
 * (whatever certificates the token itself carries), and its genTime lies in that certificate's
 * validity. Whether genTime fits the checkpoint is the caller's.
 */
export async function checkToken(token: Buffer, data: Buffer, tsa: TsaCertificate): Promise<TokenCheck> {
  let read: ReturnType<typeof readToken>;
  try {
    read = readToken(token);
  } catch (error) {
    return { valid: false, problem: `is not a time-stamp token (${(error as Error).message})` };
  }
  const { signedData, tstInfo } = read;
  if (!imprintMatches(tstInfo, data)) return { valid: false, problem: 'stamps other data (another checkpoint?)' };
  // Only the configured certificate may have signed: certificates carried in the token are not trusted.
  signedData.certificates = [tsa.certificate];
  const signed = await signedData
    .verify({ signer: 0, data: arrayBuffer(data), checkChain: false })
    .catch((error: unknown) => (error as Error).message ?? String(error));
  if (signed !== true)
    return {
      valid: false,
      problem: `is not signed by the TSA certificate${typeof signed === 'string' ? ` (${signed})` : ''}`,
    };
  const genTime = tstInfo.genTime;
  if (genTime < tsa.validFrom || genTime > tsa.validTo)
    return { valid: false, problem: `has a genTime ${genTime.toISOString()} outside the TSA certificate's validity` };
  return { valid: true, genTime };
}
