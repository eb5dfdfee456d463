// Summarises a V8 CPU profile (node --cpu-prof): self time by function and by package, top first.
// `npx tsx bench/profile-top.ts <file.cpuprofile> [count]`. Used for docs/BENCHMARKS.md.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a script belongs to (`node_modules/<name>` or `@scope/name`), or our own file's path. */
function packageOf(url: string): string {
  if (!url) return '(native/idle/gc)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.split('node_modules/').slice(-2).join('node_modules/'));
  if (match) return match[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  const own = /\/(server|bench|test|client|prisma)\/.*$/.exec(url);
  return own ? own[0].slice(1) : url;
}

const [file, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [count]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self]
  .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
  .reduce((a, [, t]) => a + t, 0);
const busy = total - idle;

const add = (map: Map<string, number>, key: string, time: number) => map.set(key, (map.get(key) ?? 0) + time);
const functions = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, time] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  if (functionName === '(idle)') continue;
  add(functions, `${functionName || '(anonymous)'} ${packageOf(url)}:${lineNumber + 1}`, time);
  add(packages, packageOf(url), time);
}
const count = Number(countArg ?? 25);
const pct = (time: number) => `${((time / busy) * 100).toFixed(1).padStart(5)}%`;
console.log(`busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled (idle ${pct(idle)} of busy)`);
console.log('\nself time by package:');
for (const [name, time] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, count))
  console.log(`${pct(time)}  ${name}`);
console.log('\nself time by function:');
for (const [name, time] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, count))
  console.log(`${pct(time)}  ${name}`);
