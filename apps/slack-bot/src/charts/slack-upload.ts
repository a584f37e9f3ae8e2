import type { App } from '@slack/bolt';

type WebClient = App['client'];

/** A file to share in Slack. */
export interface SlackUpload {
  bytes: Uint8Array;
  filename: string;
  title: string;
  /** Screen-reader description. */
  altText: string;
  /** Share into this channel (required to show it in an image block). */
  channelId: string;
  /** Share in this thread. */
  threadTs?: string | undefined;
  initialComment?: string | undefined;
}

/**
 * Uploads and shares a file with Slack's upload flow (files.upload is gone): files.getUploadURLExternal,
 * POST the bytes to the URL it returns, files.completeUploadExternal into the channel. Returns the
 * file id (for an image block's `slack_file`). Needs the `files:write` scope.
 *
 * @example
 * ```ts
 * const fileId = await uploadToSlack(app.client, { bytes: png, filename: 'chart.png', title, altText, channelId })
 * ```
 */
export async function uploadToSlack(
  client: Pick<WebClient, 'files'>,
  upload: SlackUpload,
  fetchBytes: typeof fetch = fetch,
): Promise<string> {
  const started = await client.files.getUploadURLExternal({
    filename: upload.filename,
    length: upload.bytes.byteLength,
    alt_text: upload.altText.slice(0, 1_000),
  });
  if (!started.upload_url || !started.file_id) throw new Error('files.getUploadURLExternal returned no upload URL');
  const posted = await fetchBytes(started.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: upload.bytes,
  });
  await posted.arrayBuffer(); // let the connection be reused
  if (posted.status !== 200) throw new Error(`Slack refused the upload (HTTP ${posted.status})`);
  await client.files.completeUploadExternal({
    files: [{ id: started.file_id, title: upload.title }],
    channel_id: upload.channelId,
    ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
    ...(upload.initialComment ? { initial_comment: upload.initialComment } : {}),
  });
  return started.file_id;
}
