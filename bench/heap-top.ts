// Summarises a sampling heap profile as bench/heap-sampling.ts takes it (without what minor GCs
// collected): bytes by allocating function, then by its last frames. What it counts is what
// outlived the young generation (promoted, or alive at the end): the old generation's growth, which
// sets how often a major GC marks the whole heap. Used for docs/BENCHMARKS.md (issue 26).
//   npx tsx bench/heap-top.ts <file> [count] [divisor: events in the window, for bytes per event]
import { readFileSync } from 'node:fs';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

const [file, countArg, divisorArg] = process.argv.slice(2);
if (!file) throw new Error('usage: heap-top.ts <file> [count] [events]');
const count = Number(countArg ?? 25);
const divisor = Number(divisorArg ?? 0);
const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };

const frame = ({ functionName, url, lineNumber }: HeapNode['callFrame']) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|bench|test)\//, '$1/')}:${lineNumber + 1}`;

const byFunction = new Map<string, number>();
const byStack = new Map<string, number>();
let total = 0;
const walk = (node: HeapNode, stack: string[]) => {
  const here = [...stack, frame(node.callFrame)];
  if (node.selfSize > 0) {
    total += node.selfSize;
    const name = here.at(-1)!;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
    const tail = here.slice(-4).reverse().join(' <- ');
    byStack.set(tail, (byStack.get(tail) ?? 0) + node.selfSize);
  }
  for (const child of node.children) walk(child, here);
};
walk(head, []);

const kb = (bytes: number) => (bytes / 1024).toFixed(0).padStart(8);
const perEvent = (bytes: number) => (divisor ? `${(bytes / divisor).toFixed(0).padStart(7)} B/event` : '');
console.log(
  `total ${kb(total).trim()} KB${divisor ? `, ${(total / divisor).toFixed(0)} B per event (${divisor} events)` : ''}`,
);
console.log('\nby allocating function (KB)');
for (const [name, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, count))
  console.log(`${kb(bytes)} ${perEvent(bytes)}  ${name}`);
console.log('\nby stack, last four frames (KB)');
for (const [stack, bytes] of [...byStack].sort((a, b) => b[1] - a[1]).slice(0, Math.ceil(count / 2)))
  console.log(`${kb(bytes)}  ${stack}`);
