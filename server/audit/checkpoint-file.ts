// The file sinks of the checkpoint stream: append-only NDJSON files kept apart from the database, so
// an altered or deleted database row still has a signed original for the verifier to compare with.
// Each instance's sink holds the whole stream of its log (its own checkpoints and, copied from the
// database, every other instance's), plus the witnesses and refusals only it signed (witness.ts).
// Every line names its log (log-name.ts); lines of other logs in a shared file are skipped.
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditCheckpoint } from './checkpoint-signature.ts';
import { namesLog, type AuditLogName } from './log-name.ts';
import type { AuditRefusal, AuditWitness } from './witness.ts';

/** One line of a sink: a checkpoint (no `type`), a witness or a refusal. */
export type SinkLine = (AuditCheckpoint & { type?: undefined; log?: AuditLogName }) | AuditWitness | AuditRefusal;

/** The writer's handle on its file sink. */
export interface CheckpointFileSink {
  /** Appends lines and syncs them to disk (opening the file on first use). */
  append(lines: SinkLine[]): Promise<void>;
  /** Closes the file; a later append opens it again. */
  close(): Promise<void>;
}

/** The file sink at `file`, opened lazily (directory created, mode 0640, append only). */
export function createCheckpointFileSink(file: string): CheckpointFileSink {
  let sink: FileHandle | null = null;
  return {
    async append(lines) {
      if (lines.length === 0) return;
      if (!sink) {
        await mkdir(dirname(file), { recursive: true });
        sink = await open(file, 'a', 0o640);
      }
      await sink.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      await sink.datasync();
    },
    async close() {
      await sink?.close();
      sink = null;
    },
  };
}

/** What a sink holds of one log. */
export interface SinkContents {
  file: string;
  /** This log's checkpoints, in file order. */
  checkpoints: AuditCheckpoint[];
  witnesses: AuditWitness[];
  refusals: AuditRefusal[];
  /** Numbers of the lines that are not JSON lines of a sink. */
  unreadableLines: number[];
  /** Lines naming another log (skipped). */
  otherLogLines: number;
}

function classify(line: SinkLine, contents: SinkContents) {
  if (line.type === 'witness' && Array.isArray(line.shards)) contents.witnesses.push(line);
  else if (line.type === 'refusal' && typeof line.detail === 'string') contents.refusals.push(line);
  else if (line.type === undefined && typeof line.signature === 'string' && typeof line.lastId === 'string') {
    const { log: _log, ...checkpoint } = line;
    contents.checkpoints.push(checkpoint);
  } else return false;
  return true;
}

/** The sink's lines of `log`, read line by line; null: no file. */
export async function readSink(file: string, log: AuditLogName): Promise<SinkContents | null> {
  const contents: SinkContents = {
    file,
    checkpoints: [],
    witnesses: [],
    refusals: [],
    unreadableLines: [],
    otherLogLines: 0,
  };
  const stream = createReadStream(file, 'utf8');
  const opened = new Promise<boolean>((resolve, reject) => {
    stream.once('ready', () => resolve(true));
    stream.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!(await opened)) return null;
  let number = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    number += 1;
    if (!text.trim()) continue;
    let line: SinkLine;
    try {
      line = JSON.parse(text) as SinkLine;
    } catch {
      contents.unreadableLines.push(number);
      continue;
    }
    if (line === null || typeof line !== 'object') contents.unreadableLines.push(number);
    else if (!namesLog(line, log)) contents.otherLogLines += 1;
    else if (!classify(line, contents)) contents.unreadableLines.push(number);
  }
  return contents;
}
