import { SpecInputError } from '@finrail/generators';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { reportError, runCommand, UsageError } from '../src/run-command.ts';

function captureStderr(): () => string {
  const chunks: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => chunks.join('');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

describe('reportError', () => {
  it('prints a SpecInputError as a problem line with rule `input` and maps it to exit 2', () => {
    const stderr = captureStderr();
    const code = reportError(new SpecInputError({ code: 'yaml-parse', file: `${process.cwd()}/api/openapi.yaml`, line: 3, column: 7, message: 'does not parse' }));
    expect(code).toBe(EXIT.input);
    expect(stderr()).toBe('api/openapi.yaml:3:7  error  input  does not parse\n');
  });

  it('prints a UsageError after the command name and maps it to exit 2', () => {
    const stderr = captureStderr();
    expect(reportError(new UsageError('--out is required'), 'finrail generate')).toBe(EXIT.input);
    expect(stderr()).toBe('finrail generate: --out is required\n');
  });

  it('says a server could not listen because its port is taken, as a usage problem (exit 2), not a bug', () => {
    const stderr = captureStderr();
    const taken = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:4010'), { code: 'EADDRINUSE', syscall: 'listen', address: '127.0.0.1', port: 4010 });
    expect(reportError(taken, 'finrail sandbox')).toBe(EXIT.input);
    expect(stderr()).toBe('finrail sandbox: cannot listen on 127.0.0.1:4010: the port is in use (another sandbox or mock server?); stop it, or choose another port with --port\n');
  });

  it('prints an unexpected error on one line asking for a report, without the stack', () => {
    vi.stubEnv('FINRAIL_DEBUG', '');
    const stderr = captureStderr();
    expect(reportError(new TypeError('x is undefined\nsecond line'))).toBe(EXIT.internal);
    const output = stderr();
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(output).toMatch(/^finrail: unexpected error: x is undefined \(this is a bug in finrail, please report it/);
    expect(output).toContain('FINRAIL_DEBUG=1');
  });

  it('adds the stack trace with FINRAIL_DEBUG=1', () => {
    vi.stubEnv('FINRAIL_DEBUG', '1');
    const stderr = captureStderr();
    reportError(new Error('boom'));
    expect(stderr()).toMatch(/\n\s+at /);
  });
});

describe('runCommand', () => {
  it('sets the returned exit code, 0 when the action returns nothing', async () => {
    await runCommand(async () => EXIT.failed)();
    expect(process.exitCode).toBe(EXIT.failed);
    await runCommand(async () => undefined)();
    expect(process.exitCode).toBe(EXIT.ok);
  });

  it('turns a thrown error into its exit code', async () => {
    captureStderr();
    await runCommand(async () => {
      throw new UsageError('nope');
    })();
    expect(process.exitCode).toBe(EXIT.input);
  });
});
