// Variables are recorded with secrets replaced: anything whose key looks like a password, a
// token or a card number, at any depth.
const SECRET_KEY = /pass(word)?|token|secret|authorization|card.?number|cvc|cvv/i;
export const REDACTED = '[REDACTED]';

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_KEY.test(key) ? REDACTED : redactSecrets(item)]),
    );
  }
  return value;
}
