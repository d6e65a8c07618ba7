/** What the fault proxy does to one request. */
export type Fault = 'none' | 'reset' | 'drop-response' | 'delay' | 'unavailable';

/** mulberry32: a small PRNG whose whole sequence follows from its seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which fault hits the n-th request, drawn from a seeded generator: the same seed gives the
 * same schedule, so a failing chaos run can be replayed with the seed it printed.
 */
export class FaultSchedule {
  private readonly next: () => number;

  constructor(
    readonly seed: number,
    private readonly rates: Partial<Record<Exclude<Fault, 'none'>, number>> = { reset: 0.04, 'drop-response': 0.04, delay: 0.04, unavailable: 0.04 },
  ) {
    this.next = mulberry32(seed);
  }

  /** A seed for a new run: from CHAOS_SEED when set, else random. */
  static seedFromEnvironment(): number {
    return process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
  }

  /** The fault for the next request. */
  draw(): Fault {
    let roll = this.next();
    for (const [fault, rate] of Object.entries(this.rates) as [Fault, number][]) {
      if (roll < rate) return fault;
      roll -= rate;
    }
    return 'none';
  }

  /** A number in [0, 1) from the same sequence, for other seeded choices of a run. */
  random(): number {
    return this.next();
  }
}
