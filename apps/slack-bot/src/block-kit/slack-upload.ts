import type { App } from '@slack/bolt';

type WebClient = App['client'];

/** A chart to share under an alert: `charts/alert-chart.ts` draws it, the Slack notifier uploads it. */
export interface AlertChart {
  png: Uint8Array;
  title: string;
  altText: string;
}

/** A file to share in Slack. */
export interface SlackUpload {
  bytes: Uint8Array;
  filename: string;
  title: string;
  /** Screen-reader description. */
  altText: string;
  /**
   * Share into this conversation (required to show it in an image block). Whoever is in it sees the
   * file: a private chart goes to the requester's DM with the bot (see {@link openDirectMessage}).
   */
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
  // Slack's method reference names the screen-reader text `alt_txt` (error `alt_txt_too_large` over
  // 1,000: https://docs.slack.dev/reference/methods/files.getUploadURLExternal); @slack/web-api 8
  // types it as `alt_text`, which the method does not document, so the documented name is sent.
  const described: { alt_txt: string } = { alt_txt: upload.altText.slice(0, 1_000) };
  const started = await client.files.getUploadURLExternal({
    filename: upload.filename,
    length: upload.bytes.byteLength,
    ...described,
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

/**
 * The bot's direct message with one person (conversations.open, scope `im:write`): the only place a
 * file can be shared so that nobody else sees it. An ephemeral reply cannot carry an upload, and an
 * image block cannot show a file that was never shared, so a private chart is shared here.
 *
 * @example
 * ```ts
 * const dm = await openDirectMessage(app.client, 'U0123') // 'D0456'
 * ```
 */
export async function openDirectMessage(client: Pick<WebClient, 'conversations'>, userId: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const id = opened.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}
