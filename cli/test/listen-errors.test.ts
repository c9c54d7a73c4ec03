// A server command whose port is taken says so and exits 2, as for any other usage problem: it is
// the machine's state, not a bug in finrail.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finrail } from './helpers.ts';

describe('a server command on a port already in use', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it.each([
    ['sandbox', ['sandbox', '--storage', ':memory:', '--no-seed']],
    ['mock', ['mock', 'specs/wallets/openapi.yaml']],
  ])('finrail %s names the address and the way out, and exits 2', (command, args) => {
    const result = finrail([...args, '--port', String(port)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`finrail ${command}: cannot listen on 127.0.0.1:${port}: the port is in use (another sandbox or mock server?); stop it, or choose another port with --port`);
    expect(result.stderr).not.toContain('unexpected error');
  }, 60_000);
});
