import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LmpiErrorAnswer } from './lmpi-errors.js';

/** Largest request body the sandbox reads (LMPI bodies are small JSON documents). */
export const MAX_BODY_BYTES = 1024 * 1024;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Reads the whole request body, refusing more than {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = JSON_CONTENT_TYPE): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendLmpiError(res: ServerResponse, error: LmpiErrorAnswer, headers: Record<string, string> = {}): void {
  const text = JSON.stringify({ error_subject: error.subject, error_message: error.message });
  res.writeHead(error.status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** True for connections from this machine (IPv4 loopback range, ::1, IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
