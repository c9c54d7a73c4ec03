import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const cli = fileURLToPath(new URL('../../../cli/bin/finrail.js', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/wallets-mini.yaml', import.meta.url));

describe('finrail mock (CLI)', () => {
  it('prints the route table and a token, serves, logs each request, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'mock', fixture, '--port', '0', '--seed', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /finrail mock listening on (http:\/\/[\d.:]+)/.exec(stdout);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    });
    try {
      expect(stdout).toMatch(/^GET +http:\/\/[\d.:]+\/v1\/wallets\/\{wallet_id\} +getWallet /m);
      expect(stderr).toMatch(/wallets-mini\.yaml {2}warning {2}invalid-example {2}#\/paths\/~1wallets~1\{wallet_id\}\/get\/responses\/200\/content\/application~1json\/examples\/broken\/value is never served: \/currency must match pattern/);
      const token = /Authorization: Bearer (\S+)/.exec(stdout)?.[1];
      const response = await fetch(`${url}/v1/wallets/wal_12345678`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stdout).toMatch(/^GET \/v1\/wallets\/wal_12345678 200 getWallet valid example:main [\d.]+ms$/m);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('rejects bad options with exit code 2 and a named error', async () => {
    const { mockCommand } = await import('../../../cli/src/commands/mock.ts');
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await mockCommand().parseAsync([fixture, '--port', 'http'], { from: 'user' });
      expect(process.exitCode).toBe(2);
      expect(written.join('')).toContain('finrail mock: --port must be an integer from 0 to 65535, got http');
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
    }
  });
});
