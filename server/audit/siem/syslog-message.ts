// What the SIEM stream sends: one RFC 5424 syslog message per audit record or signed checkpoint,
// its MSG the whole item as JSON (every hashed field, the shard, prevHash and hash; or the signed
// checkpoint), so a receiver's file can be checked with the public key alone (verify-syslog.ts).
// On TCP each message is octet-counted (RFC 6587 3.4.1, RFC 5425 4.3): "<length> <message>".
// Formatted here, not with an npm syslog client: syslog-client 1.1.1 (and its forks, e.g.
// @n8n/syslog-client) frames TCP only with a trailing newline (non-transparent framing, RFC 6587
// 3.4.2, which RFC 5425 does not allow and a receiver may split), and the format is a few lines.
import type { AuditCheckpoint } from '../checkpoint-signature.ts';
import type { AuditRecord } from '../verify.ts';

/** A record as streamed: the stored row, its id and times as text (createdAt ISO with milliseconds). */
export type StreamedRecord = Omit<AuditRecord, 'createdAt'> & { createdAt: string };

/** One item of the stream. */
export type StreamItem =
  { kind: 'record'; record: StreamedRecord } | { kind: 'checkpoint'; checkpoint: AuditCheckpoint };

/** The `type` of each MSG's JSON: what a receiver (or a SIEM's field extraction) keys on. */
export const StreamItemType = { record: 'salon-audit-record/1', checkpoint: 'salon-audit-checkpoint/1' } as const;

/** The header fields this sender fills in (RFC 5424 6.2). */
export interface SyslogIdentity {
  /** RFC 5424 facility, 0-23 (AUDIT_SYSLOG_FACILITY; default 13, "log audit"). */
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
}

/** Records are informational (6), checkpoints notices (5) (RFC 5424 table 2). */
const SEVERITY = { record: 6, checkpoint: 5 } as const;

/** Structured data ID under the documentation enterprise number (RFC 5612): id and shard for SIEM indexing. */
const SD_ID = 'salonAudit@32473';

/** A header field: printable US-ASCII only (RFC 5424 6.2), at most `max` characters, "-" when empty. */
function headerField(value: string, max: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return printable || '-';
}

/** An SD-PARAM value with `"`, `\` and `]` escaped (RFC 5424 6.3.3). */
const sdValue = (value: string) => value.replace(/["\\\]]/g, (char) => `\\${char}`);

/** The RFC 5424 message of one item (without framing). */
export function syslogMessage(item: StreamItem, identity: SyslogIdentity): string {
  const pri = identity.facility * 8 + SEVERITY[item.kind];
  const header = [
    `<${pri}>1`,
    item.kind === 'record' ? item.record.createdAt : item.checkpoint.createdAt,
    headerField(identity.hostname, 255),
    headerField(identity.appName, 48),
    headerField(identity.procId, 128),
    item.kind === 'record' ? 'audit-record' : 'audit-checkpoint',
  ].join(' ');
  const structured =
    item.kind === 'record'
      ? `[${SD_ID} kind="record" id="${sdValue(item.record.id)}" shard="${item.record.shard}"]`
      : `[${SD_ID} kind="checkpoint" id="${sdValue(item.checkpoint.id)}" lastId="${sdValue(item.checkpoint.lastId)}"]`;
  const body =
    item.kind === 'record'
      ? { type: StreamItemType.record, record: item.record }
      : { type: StreamItemType.checkpoint, checkpoint: item.checkpoint };
  return `${header} ${structured} ${JSON.stringify(body)}`;
}

/** Octet-counting framing (RFC 6587 3.4.1): the byte length, a space, the message. */
export function octetFramed(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length} `, 'ascii'), bytes]);
}

/**
 * The item in one line of a receiver's file, whatever the receiver put before the MSG (an RFC 5424
 * or a traditional header, a forwarder's prefix): the JSON from `{"type":"salon-audit-` to the
 * end of the line. null: the line is not one of ours; 'unreadable': ours, but not valid JSON.
 */
export function parseStreamLine(line: string): StreamItem | 'unreadable' | null {
  const start = line.indexOf('{"type":"salon-audit-');
  if (start < 0) return null;
  try {
    const parsed = JSON.parse(line.slice(start).trimEnd()) as {
      type?: string;
      record?: StreamedRecord;
      checkpoint?: AuditCheckpoint;
    };
    if (parsed.type === StreamItemType.record && typeof parsed.record?.id === 'string')
      return { kind: 'record', record: parsed.record };
    if (parsed.type === StreamItemType.checkpoint && typeof parsed.checkpoint?.signature === 'string')
      return { kind: 'checkpoint', checkpoint: parsed.checkpoint };
    return 'unreadable';
  } catch {
    return 'unreadable';
  }
}
