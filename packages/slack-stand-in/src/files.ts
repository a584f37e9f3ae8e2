// File upload v2 in the Slack stand-in: files.getUploadURLExternal hands out an upload URL, the
// bytes are POSTed there (raw or multipart), files.completeUploadExternal shares them. Uploads are
// written to a directory so local mode can print where a chart went.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** One uploaded file. */
export interface StoredFile {
  id: string;
  filename: string;
  /** Length declared in files.getUploadURLExternal. */
  length: number;
  bytes: Buffer | undefined;
  title: string | undefined;
  /**
   * The screen-reader description, from files.getUploadURLExternal's `alt_txt` (the method
   * reference's name; Slack ignores the Node SDK's `alt_text`, so a file sent with it has none).
   */
  altText: string | undefined;
  /** Where the bytes were written once completed. */
  path: string | undefined;
  /** Channels (and threads) it was shared to; empty: private to the app. */
  shares: { channel: string; threadTs: string | undefined }[];
}

type SlackError = { ok: false; error: string };

/** The stand-in's files: upload, complete, look up. */
export interface FileStore {
  byId: Map<string, StoredFile>;
  start(args: Record<string, unknown>, baseUrl: string): { ok: true; upload_url: string; file_id: string } | SlackError;
  /** Stores the bytes POSTed to an upload URL; false for an unknown URL. */
  receiveBytes(uploadId: string, body: Buffer, contentType: string | undefined): boolean;
  complete(
    args: Record<string, unknown>,
  ): { ok: true; files: { id: string; title: string; name: string; path: string }[] } | SlackError;
}

/** The bytes of the first part of a multipart body (the WebClient uploads that way). */
function multipartFile(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return body;
  const start = body.indexOf('\r\n\r\n');
  const end = body.indexOf(`\r\n--${boundary}`, start);
  return start < 0 || end < 0 ? body : body.subarray(start + 4, end);
}

/**
 * A file store writing completed uploads to `dir`.
 *
 * @example
 * ```ts
 * const files = startFileStore(mkdtempSync(join(tmpdir(), 'uploads-')))
 * ```
 */
export function startFileStore(dir: string): FileStore {
  const byId = new Map<string, StoredFile>();
  const byUpload = new Map<string, string>();
  return {
    byId,
    start(args, baseUrl) {
      const filename = typeof args.filename === 'string' ? args.filename : '';
      const length = Number(args.length);
      if (!filename) return { ok: false, error: 'invalid_arguments' };
      if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'missing_argument' };
      // The method reference names the argument `alt_txt` (at most 1,000 characters).
      if (typeof args.alt_txt === 'string' && args.alt_txt.length > 1_000)
        return { ok: false, error: 'alt_txt_too_large' };
      const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
      const upload = randomBytes(12).toString('hex');
      const altText = typeof args.alt_txt === 'string' ? args.alt_txt : undefined;
      byId.set(id, { id, filename, length, bytes: undefined, title: undefined, altText, path: undefined, shares: [] });
      byUpload.set(upload, id);
      return { ok: true, upload_url: `${baseUrl}/upload/${upload}`, file_id: id };
    },
    receiveBytes(uploadId, body, contentType) {
      const file = byId.get(byUpload.get(uploadId) ?? '');
      if (!file) return false;
      file.bytes = contentType?.startsWith('multipart/') ? multipartFile(body, contentType) : body;
      return true;
    },
    complete(args) {
      const list = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : [];
      if (list.length === 0) return { ok: false, error: 'invalid_arguments' };
      const found: StoredFile[] = [];
      for (const entry of list) {
        const file = byId.get(String(entry.id ?? ''));
        // Never uploaded, or the bytes do not match the declared length: Slack has no such file.
        if (!file?.bytes || file.bytes.length !== file.length) return { ok: false, error: 'file_not_found' };
        file.title = typeof entry.title === 'string' ? entry.title : file.filename;
        found.push(file);
      }
      const channel = typeof args.channel_id === 'string' ? args.channel_id : undefined;
      const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
      return {
        ok: true,
        files: found.map((file) => {
          file.path ??= join(dir, `${file.id}-${basename(file.filename)}`);
          writeFileSync(file.path, file.bytes as Buffer);
          if (channel) file.shares.push({ channel, threadTs });
          return { id: file.id, title: file.title ?? file.filename, name: file.filename, path: file.path };
        }),
      };
    },
  };
}

/**
 * Image blocks whose `slack_file` real Slack would refuse: an unknown file, or one never shared
 * ("invalid slack file").
 */
export function slackFileViolations(blocks: unknown, files: FileStore): string[] {
  if (!Array.isArray(blocks)) return [];
  const out: string[] = [];
  blocks.forEach((block: { type?: unknown; slack_file?: { id?: unknown } }, i) => {
    if (block?.type !== 'image' || !block.slack_file?.id) return;
    const file = files.byId.get(String(block.slack_file.id));
    if (!file?.path)
      out.push(`blocks[${i}].slack_file: invalid slack file ${String(block.slack_file.id)} (not uploaded)`);
    else if (file.shares.length === 0)
      out.push(`blocks[${i}].slack_file: invalid slack file ${file.id} (never shared to a channel)`);
  });
  return out;
}
