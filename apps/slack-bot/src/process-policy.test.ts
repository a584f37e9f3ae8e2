import { EventEmitter } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { installProcessPolicy } from './process-policy.js';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return { emitter, exits, target: Object.assign(emitter, { exit: (code: number) => void exits.push(code) }) };
}

describe('process policy', () => {
  it('logs an unhandled rejection and keeps running; logs an uncaught exception and exits 1', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      secrets: ['xoxb-secret-token'],
      destination: { write: (line: string) => lines.push(line) },
    });
    const { emitter, exits, target } = fakeProcess();
    installProcessPolicy(target, logger);
    emitter.emit('unhandledRejection', new Error('lost promise with xoxb-secret-token'));
    expect(exits).toEqual([]);
    expect(lines.join('')).toContain('unhandled promise rejection');
    emitter.emit('uncaughtException', new TypeError('boom'), 'uncaughtException');
    expect(exits).toEqual([1]);
    expect(lines.join('')).toContain('uncaught exception');
    expect(lines.join('')).not.toContain('xoxb-secret-token');
  });

  it('names PORT and exits 64 when a server reports its port in use as an uncaught error (Socket Mode)', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      secrets: [],
      destination: { write: (line: string) => lines.push(line) },
    });
    const { emitter, exits, target } = fakeProcess();
    installProcessPolicy(target, logger);
    const first = createServer();
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
    const { port } = first.address() as AddressInfo;
    const second = createServer();
    const inUse = await new Promise<Error>((resolve) => {
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    first.close();
    emitter.emit('uncaughtException', inUse, 'uncaughtException');
    expect(exits).toEqual([64]);
    expect(lines.join('')).toContain(
      `port ${port} on 127.0.0.1 is already in use: stop what uses it, or set PORT to a free port`,
    );
  });
});
