// The local Slack's page: a sidebar of channels and the Home tab, the selected conversation, and a
// message box for slash commands. The server renders every conversation (render-html.ts); this
// script only asks for it again when the stand-in says something changed (Server-Sent Events),
// and sends presses and commands back as JSON.

const STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: #1d1c1d; display: flex; height: 100vh; }
  nav { width: 230px; background: #3f0e40; color: #cfc3cf; padding: 12px 0; overflow-y: auto; flex-shrink: 0; }
  nav h1 { font-size: 17px; color: #fff; margin: 0 16px 12px; }
  nav a { display: block; padding: 4px 16px; color: inherit; text-decoration: none; cursor: pointer; }
  nav a.selected { background: #1164a3; color: #fff; }
  main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
  header.channel { padding: 10px 20px; border-bottom: 1px solid #ddd; font-weight: 700; }
  #conversation { flex: 1; overflow-y: auto; padding: 12px 20px; }
  .message { padding: 8px 0; border-bottom: 1px solid #f2f2f2; }
  .message .who { font-weight: 700; } .message .who small { font-weight: 400; color: #616061; margin-left: 6px; }
  .message.ephemeral { background: #f8f8f8; }
  .thread { margin-left: 28px; border-left: 3px solid #ddd; padding-left: 10px; }
  .header { margin: 6px 0; font-size: 17px; }
  .section { display: flex; gap: 10px; margin: 4px 0; } .section-body { flex: 1; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; margin-top: 4px; }
  .context { color: #616061; font-size: 13px; margin: 4px 0; }
  .actions { display: flex; gap: 8px; flex-wrap: wrap; margin: 6px 0; }
  .button { border: 1px solid #bbb; background: #fff; border-radius: 4px; padding: 4px 12px; cursor: pointer; font: inherit; }
  .button.primary { background: #007a5a; color: #fff; border-color: #007a5a; }
  .button.danger { background: #e01e5a; color: #fff; border-color: #e01e5a; }
  .button:disabled { opacity: 0.5; }
  img.block { max-width: 560px; width: 100%; border: 1px solid #ddd; border-radius: 6px; }
  img.inline { height: 16px; vertical-align: middle; }
  code { background: #f4f4f4; border: 1px solid #e5e5e5; border-radius: 3px; padding: 0 3px; }
  .mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
  .notice { color: #616061; font-style: italic; }
  form { display: flex; gap: 8px; padding: 12px 20px; border-top: 1px solid #ddd; }
  form input { flex: 1; font: inherit; padding: 8px; border: 1px solid #bbb; border-radius: 6px; }
  .unsupported { color: #999; }
`;

const SCRIPT = `
  let selected = new URLSearchParams(location.search).get('channel') || '';
  const post = (path, body) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  async function refresh() {
    const asked = selected;
    const view = await (await fetch('/local/view?channel=' + encodeURIComponent(asked))).json();
    if (asked !== selected) return; // another conversation was opened meanwhile: its refresh will show it
    selected = view.selected;
    document.querySelector('nav .channels').innerHTML = view.sidebar;
    document.querySelector('header.channel').textContent = view.title;
    const pane = document.getElementById('conversation');
    const atBottom = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 40;
    pane.innerHTML = view.conversation;
    if (atBottom) pane.scrollTop = pane.scrollHeight;
    document.getElementById('composer').hidden = selected === 'home';
  }
  document.addEventListener('click', async (event) => {
    const link = event.target.closest('nav a[data-channel]');
    if (link) {
      event.preventDefault();
      selected = link.dataset.channel;
      history.replaceState(null, '', '?channel=' + encodeURIComponent(selected));
      if (selected === 'home') await post('/local/home', {});
      return refresh();
    }
    const button = event.target.closest('button[data-entry]');
    if (!button) return;
    button.disabled = true;
    await post('/local/press', { entry: button.dataset.entry, block: Number(button.dataset.block), element: button.dataset.element });
    await refresh();
  });
  document.getElementById('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = event.target.elements.text;
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    await post('/local/command', { channel: selected, text });
    await refresh();
  });
  new EventSource('/local/events').onmessage = () => refresh();
  refresh();
`;

/**
 * The page at `/local`.
 *
 * @example
 * ```ts
 * res.end(localPage('licensewatch'))
 * ```
 */
export function localPage(workspace: string): string {
  const name = workspace.replace(/[<>&"']/g, '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name} · local Slack</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><nav><h1>${name}</h1><div class="channels"></div></nav>
<main><header class="channel"></header><div id="conversation" aria-live="polite"></div>
<form id="composer" autocomplete="off"><input name="text" placeholder="Type a slash command, e.g. /licenses low" aria-label="Message">
<button class="button primary" type="submit">Send</button></form></main>
<script>${SCRIPT}</script></body></html>`;
}
