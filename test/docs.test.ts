// The docs name real files: every source file ARCHITECTURE.md names (a path, or a file name beside
// its folder), and every full path the README and SECURITY.md name, exists in the tree. A move or a
// split that leaves the docs behind fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const SOURCE_FILE = /[\w./-]*[\w-]+\.(?:tsx?|sql|prisma)\b/g;
const FULL_PATH = /\b(?:server|client|prisma|test|bench)\/[\w./-]+\.(?:tsx?|sql|prisma)\b/g;

/** Every file name under a folder of the tree, for names the docs give without their folder. */
function namesUnder(folder: string, into = new Set<string>()): Set<string> {
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) namesUnder(join(folder, entry.name), into);
    else into.add(entry.name);
  }
  return into;
}

const read = (doc: string) => readFileSync(join(ROOT, doc), 'utf8');
const exists = (path: string) => ['', 'server/', 'client/src/'].some((prefix) => existsSync(join(ROOT, prefix, path)));

describe('docs/ARCHITECTURE.md', () => {
  const text = read('docs/ARCHITECTURE.md');
  const names = namesUnder('server', namesUnder('client/src', namesUnder('prisma')));

  test('every file it names by path exists', () => {
    const paths = [...new Set(text.match(SOURCE_FILE) ?? [])].filter((name) => name.includes('/'));
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((path) => !exists(path))).toEqual([]);
  });

  test('every file it names without its folder exists somewhere in server/, client/src/ or prisma/', () => {
    const bare = [...new Set(text.match(SOURCE_FILE) ?? [])].filter((name) => !name.includes('/'));
    expect(bare.filter((name) => !names.has(basename(name)))).toEqual([]);
  });
});

describe.each(['README.md', 'docs/SECURITY.md'])('%s', (doc) => {
  test('every full path it names exists', () => {
    // NNNN_name stands for a migration's folder in the instructions for writing one.
    const paths = [...new Set(read(doc).match(FULL_PATH) ?? [])].filter((path) => !path.includes('NNNN'));
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
