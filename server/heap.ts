// V8 heap settings of a server process, applied by its entry before anything else is loaded
// (server/index.ts, and the banners bench's server process, which stands for it).
//
// A server holding thousands of banner sockets keeps every connection's objects for its life, and
// they are promoted among the short-lived garbage of the requests that arrive with them. V8
// compacts only the pages it picks as worth it, so the rest stay committed around the live
// connections: at 10,000 banners the heap held 327 MB of objects in 490-590 MB of pages, and RSS
// was 37-46 KB per connection from run to run. Compacting on every full GC evacuates them all: 366
// MB committed, 28-30 KB RSS per connection, and RSS back to the baseline once the clients leave,
// with the same tick lag and page loads (docs/BENCHMARKS.md, "Memory per banner connection"). The
// cost is a longer full GC, which V8 runs concurrently and rarely on a heap this size.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--compact-on-every-full-gc');
