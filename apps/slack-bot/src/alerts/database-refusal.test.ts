import { describe, expect, it } from 'vitest';
import { databaseRefusal } from './database-refusal.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('databaseRefusal', () => {
  it('says nothing was changed, and why, naming the driver code of a full or read-only disk', () => {
    expect(databaseRefusal(coded('SQLITE_FULL'))).toContain(
      'cannot take changes right now (`SQLITE_FULL`: its disk is full), so nothing was changed',
    );
    expect(databaseRefusal(coded('53100'))).toContain('`53100`: its disk is full');
    expect(databaseRefusal(coded('SQLITE_READONLY_DBMOVED'))).toContain('it is read-only');
    expect(databaseRefusal(coded('ECONNREFUSED'))).toContain('is unavailable right now');
  });

  it('leaves errors that are not outages to surface', () => {
    expect(databaseRefusal(coded('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(databaseRefusal(new Error('cannot rollback - no transaction is active'))).toBeUndefined();
  });
});
