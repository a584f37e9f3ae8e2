// The web view's pane contents: the sidebar of conversations a person may open and the selected
// conversation (or Home tab) as HTML, threads under their parent.
import type { StandInChannel } from '../web-api-rules.js';
import type { ShownMessage, workspaceOf } from './conversations.js';
import type { LocalViewDeps } from './local-view.js';
import { blocksHtml, escapeHtml, type Names } from './render-html.js';

/** The conversations a person may open: channels the bot is in or can see, and their DMs with it. */
function visibleChannels(deps: LocalViewDeps): StandInChannel[] {
  return [...deps.channels.values()].filter(
    (c) => !c.archived && (c.im ? c.members.has(deps.user.id) : !c.private || c.members.has(deps.botUserId)),
  );
}

const whoLabel = (deps: LocalViewDeps, message: ShownMessage) =>
  message.from === 'slackbot' ? 'Slackbot' : message.from === 'you' ? deps.user.name : deps.appName;

/** Names for mentions: the person, the bot and the channels. */
function namesOf(deps: LocalViewDeps): Names {
  const names = new Map<string, string>([
    [deps.user.id, deps.user.name],
    [deps.botUserId, deps.appName],
  ]);
  for (const channel of deps.channels.values()) names.set(channel.id, channel.name);
  return names;
}

function messageHtml(deps: LocalViewDeps, message: ShownMessage, replies: ShownMessage[]): string {
  const only = message.ephemeral ? '<small>Only visible to you</small>' : '';
  const body =
    message.from === 'app'
      ? blocksHtml(message.payload, message.key, namesOf(deps))
      : `<div class="notice">${escapeHtml(String(message.payload.text ?? ''))}</div>`;
  const thread = replies.length
    ? `<div class="thread">${replies.map((r) => messageHtml(deps, r, [])).join('')}</div>`
    : '';
  return `<div class="message${message.ephemeral ? ' ephemeral' : ''}" data-key="${escapeHtml(message.key)}"><div class="who">${escapeHtml(whoLabel(deps, message))}${only}</div>${body}${thread}</div>`;
}

/**
 * The page's data: the sidebar, the selected conversation's title and its messages, as HTML.
 *
 * @example
 * ```ts
 * const { sidebar, title, conversation } = renderView(deps, workspaceOf(messages, origins, user), 'CLOCAL')
 * ```
 */
export function renderView(deps: LocalViewDeps, workspace: ReturnType<typeof workspaceOf>, asked: string) {
  const channels = visibleChannels(deps);
  const selected = asked === 'home' || channels.some((c) => c.id === asked) ? asked : (channels[0]?.id ?? 'home');
  const label = (c: StandInChannel) => (c.im ? `${deps.appName} (direct message)` : `# ${c.name}`);
  const link = (id: string, text: string) =>
    `<a href="?channel=${encodeURIComponent(id)}" data-channel="${escapeHtml(id)}"${id === selected ? ' class="selected" aria-current="page"' : ''}>${escapeHtml(text)}</a>`;
  const sidebar = [link('home', `${deps.appName} · Home`), ...channels.map((c) => link(c.id, label(c)))].join('');
  if (selected === 'home') {
    const notes = workspace.messages.filter((m) => m.channel === 'home');
    const home = workspace.home
      ? blocksHtml(workspace.home, 'home', namesOf(deps))
      : `<p class="notice">${escapeHtml(deps.appName)} has not published a Home tab yet.</p>`;
    return {
      selected,
      sidebar,
      title: `${deps.appName} · Home`,
      conversation: home + notes.map((n) => messageHtml(deps, n, [])).join(''),
    };
  }
  const inChannel = workspace.messages.filter((m) => m.channel === selected);
  const top = inChannel.filter((m) => !m.threadTs || m.threadTs === m.ts);
  const conversation = top
    .map((m) => messageHtml(deps, m, m.ephemeral ? [] : inChannel.filter((r) => r.threadTs === m.ts && r !== m)))
    .join('');
  const channel = channels.find((c) => c.id === selected);
  return { selected, sidebar, title: channel ? label(channel) : selected, conversation };
}
