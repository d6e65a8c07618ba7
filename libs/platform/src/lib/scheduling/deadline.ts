/** What a promise given a deadline rejects with when the deadline passes first. */
export class DeadlineExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Settles as `work` does, or rejects with DeadlineExceeded(`message`) once `ms` have passed. The
 * timer is cleared as soon as either happens; a rejection of `work` after the deadline is
 * dropped, never left unhandled. `work` itself goes on: only the wait for it ends.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(message)), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `work` fulfils within `ms`: false when the deadline passes first; rejects as `work` does. */
export function finishedWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return withDeadline(work, ms, `not finished within ${ms} ms`).then(
    () => true,
    (error: unknown) => {
      if (error instanceof DeadlineExceeded) return false;
      throw error;
    },
  );
}
