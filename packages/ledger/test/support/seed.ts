/** One seed per test run: FINRAIL_SEED replays a run, otherwise a random one is printed. */
export function testSeed(label: string): number {
  const fromEnv = process.env.FINRAIL_SEED;
  const seed = fromEnv !== undefined ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new Error(`FINRAIL_SEED must be an integer, got ${fromEnv}`);
  console.log(`[${label}] seed ${seed} (replay with FINRAIL_SEED=${seed})`);
  return seed;
}
