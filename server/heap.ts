// V8 heap settings of a server process, applied by its entry before anything else is loaded
// (server/index.ts, and the bench's processes, which stand for it).
//
// COMPACT_HEAP_ON_FULL_GC=true compacts the whole heap on every full GC. A server holding
// thousands of banner sockets keeps every connection's objects for its life, promoted among the
// short-lived garbage of the requests that arrive with them; V8 compacts only the pages it picks as
// worth it, so the rest stay committed around the live connections. At 10,000 banners the heap
// held 327 MB of objects in 490-590 MB of pages (RSS 36-46 KB per connection from run to run);
// compacting on every full GC left 366 MB of pages and 26-30 KB per connection, with RSS back to
// its baseline once the clients left. It is off by default because of what it costs: each full GC
// moves every live object, and its pause on a 60 MB heap went from 10-15 ms to 46-78 ms, which a
// request or a banner tick that meets it waits out (docs/BENCHMARKS.md, "Memory per banner
// connection"). Turn it on for a process that holds many sockets and little else.
import { setFlagsFromString } from 'node:v8';

if (process.env.COMPACT_HEAP_ON_FULL_GC === 'true') setFlagsFromString('--compact-on-every-full-gc');
