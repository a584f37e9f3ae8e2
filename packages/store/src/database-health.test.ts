import { describe, expect, it } from 'vitest';
import { HealthTracker, outageCode } from './database-health.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('database health', () => {
  it('treats unreachable, read-only and full databases as outages, and bad queries as not', () => {
    expect(outageCode(coded('ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(outageCode(coded('57P01', 'terminating connection due to administrator command'))).toBe('57P01');
    expect(outageCode(coded('SQLITE_FULL'))).toBe('SQLITE_FULL');
    expect(outageCode(coded('SQLITE_READONLY'))).toBe('SQLITE_READONLY');
    expect(outageCode(new Error('Connection terminated unexpectedly'))).toBe('ECONNLOST');
    expect(outageCode(coded('23505', 'duplicate key'))).toBeUndefined();
    expect(outageCode(coded('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
  });

  it('reports each outage once, and a full disk is up again only after a write works', () => {
    const changes: string[] = [];
    const health = new HealthTracker('sqlite', (h) => changes.push(`${h.status}:${h.error?.code ?? ''}`));
    for (let i = 0; i < 5; i += 1) health.failed(coded('SQLITE_FULL'));
    health.succeeded('read');
    expect(health.current.status).toBe('down');
    health.succeeded('write');
    health.failed(coded('SQLITE_CONSTRAINT'));
    expect(changes).toEqual(['down:SQLITE_FULL', 'up:']);
  });

  it('knows every socket error that means the server is gone, and only codes that start like an outage', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      'EHOSTUNREACH',
      '08006',
      '53100',
    ])
      expect(outageCode(coded(code)), code).toBe(code);
    for (const code of ['SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_PERM'])
      expect(outageCode(coded(code)), code).toBe(code);
    // A code that merely contains an outage code is a different error (here: an extension's own code).
    expect(outageCode(coded('X_SQLITE_FULL'))).toBeUndefined();
    expect(outageCode(coded('42P01', 'timeout exceeded when trying to connect'))).toBe('ECONNLOST');
    expect(outageCode(coded('42P01', 'relation "outbox" does not exist'))).toBeUndefined();
    expect(outageCode(undefined)).toBeUndefined();
    expect(outageCode('ECONNREFUSED')).toBeUndefined();
  });

  it('keeps when an outage began and its latest error, at most 300 characters of it', () => {
    let clock = 1_000;
    const health = new HealthTracker(
      'postgres',
      () => {},
      () => clock,
    );
    expect(health.current).toEqual({ status: 'up', dialect: 'postgres', since: 1_000, error: undefined });
    expect(health.failed(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    clock = 2_000;
    expect(health.failed(coded('57P03', 'x'.repeat(400)))).toBe(true);
    expect(health.current).toEqual({
      status: 'down',
      dialect: 'postgres',
      since: 1_000,
      error: { code: '57P03', message: 'x'.repeat(300) },
    });
    expect(health.failed(coded('23505', 'duplicate key'))).toBe(false);
    clock = 3_000;
    health.succeeded('read'); // a connection outage is over as soon as anything answers
    expect(health.current).toEqual({ status: 'up', dialect: 'postgres', since: 3_000, error: undefined });
  });

  it('keeps a disk-full PostgreSQL (class 53) down until a write works', () => {
    const health = new HealthTracker('postgres');
    health.failed(coded('53100', 'could not extend file: No space left on device'));
    health.succeeded('read');
    expect(health.current.status).toBe('down');
    health.succeeded('write');
    expect(health.current.status).toBe('up');
  });
});
