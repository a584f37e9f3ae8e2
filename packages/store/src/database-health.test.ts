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
});
