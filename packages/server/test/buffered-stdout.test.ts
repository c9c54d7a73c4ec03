import { afterEach, describe, expect, it, vi } from 'vitest';
import { bufferedStdout } from '../src/buffered-stdout.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('bufferedStdout', () => {
  afterEach(() => vi.restoreAllMocks());

  function capture(): string[] {
    bufferedStdout().flush();
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => (writes.push(String(text)), true));
    return writes;
  }

  it('writes the lines of one event-loop turn together, in order, at the end of the turn', async () => {
    const writes = capture();
    const stdout = bufferedStdout();
    stdout.write('a\n');
    stdout.write('b\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\n']);
  });

  it('keeps every batch within PIPE_BUF, so lines from several processes never interleave', async () => {
    const writes = capture();
    const stdout = bufferedStdout();
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 100; i++) stdout.write(line);
    await nextTurn();
    expect(writes.join('')).toBe(line.repeat(100));
    expect(writes.length).toBeGreaterThan(1);
    for (const batch of writes) expect(batch.length).toBeLessThanOrEqual(4096);
  });

  it('writes what is pending at once on flush', () => {
    const writes = capture();
    bufferedStdout().write('last words\n');
    bufferedStdout().flush();
    expect(writes).toEqual(['last words\n']);
  });
});
