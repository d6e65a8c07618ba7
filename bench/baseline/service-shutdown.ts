import { Server } from 'node:http';
import { Queue, Worker } from 'bullmq';
import { Pool } from 'pg';
import { closeOnSignal, stopServing } from './http-kit';
import { SignedPoster } from './signed-post';

/** What a bare service holds open. */
export interface ServiceParts {
  worker?: Worker;
  server: Server;
  queue?: Queue;
  poster: SignedPoster;
  pool: Pool;
}

/**
 * On SIGTERM: the worker stops taking jobs and finishes its attempts while the database is still
 * there to record them, the server stops taking requests, then the connections close.
 */
export function closeServiceOnSignal({ worker, server, queue, poster, pool }: ServiceParts): void {
  closeOnSignal(
    async () => worker?.close(),
    () => stopServing(server),
    async () => queue?.close(),
    async () => poster.close(),
    () => pool.end(),
  );
}
