import { describe, expect, it } from 'vitest';
import { startSpinner } from './spinner.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream, writes };
}
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startSpinner', () => {
  it('spins on a terminal only once the work outlasts the delay, and clears its line', async () => {
    const { stream, writes } = fakeStream(true);
    const stop = startSpinner(stream, 'asking LMPI…', 100);
    await wait(60);
    expect(writes).toEqual([]);
    await wait(200);
    expect(writes.length).toBeGreaterThan(0);
    stop();
    expect(writes.at(-1)).toMatch(/^\r\s+\r$/);
  });

  it('never writes to a pipe, or for quick work', async () => {
    const pipe = fakeStream(false);
    const stopPipe = startSpinner(pipe.stream, 'x', 10);
    await wait(60);
    stopPipe();
    expect(pipe.writes).toEqual([]);
    const quick = fakeStream(true);
    startSpinner(quick.stream, 'x', 300)();
    await wait(50);
    expect(quick.writes).toEqual([]);
  });
});
