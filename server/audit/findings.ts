// The audit verifier's findings: what each kind of tampering is called, what it means, and the exit
// code `npm run audit:verify` gives it, so the GraphQL query and the CLI report the same names.
/**
 * Every finding, its meaning and the exit code of `npm run audit:verify` for it (the CLI exits with
 * the smallest code found; 0: intact, 1: the check could not run). 20 and above are warnings.
 */
export const AuditFindingCodes = {
  EDITED_RECORD: { exitCode: 10, description: 'A record no longer matches its own hash: edited in place.' },
  DELETED_RECORD: {
    exitCode: 11,
    description: 'A record is missing from the middle: a link names another hash, or a checkpoint counted more.',
  },
  DELETED_TAIL: {
    exitCode: 12,
    description: 'The log ends before the last record a checkpoint signed: truncated, or the newest records deleted.',
  },
  REWRITTEN_CHAIN: {
    exitCode: 13,
    description:
      'The chain is consistent but not the one a checkpoint signed: rewritten and rehashed, or records inserted.',
  },
  BAD_CHECKPOINT_SIGNATURE: {
    exitCode: 14,
    description:
      'A checkpoint (database or file sink) is not signed by this key: forged, or altered without a file copy.',
  },
  CHECKPOINT_MISMATCH: {
    exitCode: 15,
    description:
      'A checkpoint of a sink is missing or different in the database, a checkpoint of the database is missing from a sink that holds later ones, or the checkpoints do not chain.',
  },
  REORDERED_RECORD: {
    exitCode: 16,
    description:
      'A record links to a record of its shard that is still there but not just before it: records were moved (ids swapped).',
  },
  BAD_TIMESTAMP: {
    exitCode: 17,
    description:
      "A checkpoint's RFC 3161 token is not the TSA's over this checkpoint: altered, another checkpoint's, or its genTime is implausible.",
  },
  RETIRED_KEY: {
    exitCode: 18,
    description:
      'A checkpoint is signed by a listed key other than the one of its time: a key used after its retirement (or before it took over).',
  },
  UNTRUSTED_KEY: {
    exitCode: 19,
    description:
      'The list of signing keys is not vouched for by the verifying key: a listing forged or altered, or a newer key than the one given.',
  },
  UNVERIFIED_TAIL: {
    exitCode: 20,
    description: 'Warning: records after the last signed checkpoint; normal for up to AUDIT_CHECKPOINT_INTERVAL_MS.',
  },
  UNSIGNED_GAP: {
    exitCode: 23,
    description:
      'Warning: a record waited longer than 3 checkpoint intervals for its checkpoint (the writer was stalled).',
  },
  SINK_BEHIND: {
    exitCode: 24,
    description:
      "Warning: a sink lacks the database's newest checkpoints (its instance has not copied them yet, or stopped).",
  },
  NOT_TIMESTAMPED: {
    exitCode: 21,
    description:
      'Warning: checkpoints without a TSA token (AUDIT_TSA_URL down or unset when they were signed); normal for a few seconds.',
  },
} as const;

/** The name of a finding of the verifier. */
export type AuditFindingCode = keyof typeof AuditFindingCodes;

/** One thing the verifier found wrong (or a warning), with where. */
export interface AuditFinding {
  code: AuditFindingCode;
  severity: 'ERROR' | 'WARNING';
  /** The record the finding is about, when there is one. */
  recordId: string | null;
  checkpointId: string | null;
  detail: string;
}

/** The CLI's exit code: the smallest code among the findings, 0 when there is none. */
export function exitCodeFor(findings: AuditFinding[]): number {
  return findings.length ? Math.min(...findings.map((found) => AuditFindingCodes[found.code].exitCode)) : 0;
}
