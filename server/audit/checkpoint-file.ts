// The file copy of the checkpoints: an append-only NDJSON file, kept apart from the database so an
// altered or deleted database row still has a signed original for the verifier to compare with.
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditCheckpoint } from './checkpoint-signature.ts';

/** The writer's handle on the file sink. */
export interface CheckpointFileSink {
  /** Appends one checkpoint as one line and syncs it to disk (opening the file on first use). */
  append(checkpoint: AuditCheckpoint): Promise<void>;
  /** Closes the file; a later append opens it again. */
  close(): Promise<void>;
}

/** The file sink at `file`, opened lazily (directory created, mode 0640, append only). */
export function createCheckpointFileSink(file: string): CheckpointFileSink {
  let sink: FileHandle | null = null;
  return {
    async append(checkpoint) {
      if (!sink) {
        await mkdir(dirname(file), { recursive: true });
        sink = await open(file, 'a', 0o640);
      }
      await sink.write(`${JSON.stringify(checkpoint)}\n`);
      await sink.datasync();
    },
    async close() {
      await sink?.close();
      sink = null;
    },
  };
}

/** The file sink's checkpoints in file order, and the numbers of lines that are not checkpoints; null: no file. */
export async function readFileCheckpoints(
  file: string,
): Promise<{ checkpoints: AuditCheckpoint[]; unreadableLines: number[] } | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const checkpoints: AuditCheckpoint[] = [];
  const unreadableLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const parsed = JSON.parse(line) as AuditCheckpoint;
      if (typeof parsed.signature !== 'string' || typeof parsed.lastId !== 'string')
        throw new Error('not a checkpoint');
      checkpoints.push(parsed);
    } catch {
      unreadableLines.push(index + 1);
    }
  });
  return { checkpoints, unreadableLines };
}
