// dynalite ships no types; this covers the part the stand-ins use (dynalite 4.0.0, index.js).
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** How long tables stay CREATING / DELETING / UPDATING (default 500 ms each). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    /** LevelDB directory; in memory when absent. */
    path?: string;
    verbose?: boolean;
    debug?: boolean;
  }

  /** An unstarted HTTP server speaking the DynamoDB JSON protocol; `close` also closes the store. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
