import type { ReinsertService } from '../reinsert/service.js';
import type { StagingStore } from '../staging/store.js';
import type { Role } from '../staging/types.js';
import type { JobWorker } from '../worker/worker.js';

export interface Principal {
  name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyInstance {
    staging: StagingStore;
    worker: JobWorker;
    reinsert: ReinsertService;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** What a route does; decides which roles may call it. Routes under /api without one are refused (secure default). */
    access?: Access;
    /** Static assets and docs: no token needed (they hold no data). */
    public?: boolean;
  }
}

/**
 * Access classes: `read` (every role), `decide` (reviewer: approve/reject), `operate` (operator:
 * start jobs, run re-inserts), `preview` (reviewer and operator: dry-run scripts). Reviewers
 * cannot write to the target and operators cannot approve: two people for every re-insert.
 */
export type Access = 'read' | 'decide' | 'operate' | 'preview';

export const GRANTS: Record<Access, ReadonlySet<Role>> = {
  read: new Set(['viewer', 'reviewer', 'operator']),
  decide: new Set(['reviewer']),
  operate: new Set(['operator']),
  preview: new Set(['reviewer', 'operator']),
};

export function allowed(have: Role, need: Access): boolean {
  return GRANTS[need].has(have);
}
