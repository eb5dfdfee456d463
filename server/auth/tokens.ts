// Opaque bearer tokens: 256 random bits shown once to the client; only their SHA-256 is stored,
// so a database leak reveals no usable token.
import { createHash, randomBytes } from 'node:crypto';

/** The stored form of a token (hex SHA-256). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random token and its stored hash. */
export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

/** Reads `Bearer <token>` (case-insensitive scheme); anything else is no token. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}
