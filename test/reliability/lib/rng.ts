// Seeded randomness for the reliability suite: every run prints its seed, and EDA_SEED=<n> replays it.

/** Full counts with EDA_FULL=1; the default run meets the minimums. */
export const FULL = process.env.EDA_FULL === '1';

export function pickSeed(name: string): number {
  const fromEnv = process.env.EDA_SEED;
  const seed =
    fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : (Date.now() ^ (process.pid << 8)) >>> 0;
  console.log(`${name}: seed ${seed} (replay with EDA_SEED=${seed})`);
  return seed;
}

/** mulberry32: small, fast, good enough to drive mutations reproducibly. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  range(min: number, maxInclusive: number): number {
    return min + this.int(maxInclusive - min + 1);
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  string(maxLen: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_.:@'): string {
    const n = this.int(maxLen + 1);
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}
