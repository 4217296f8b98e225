// The Teams playground page. It draws what the bot sent (through the local Bot Connector, over
// server-sent events) with Microsoft's Adaptive Cards renderer, and sends what the person types
// or clicks to POST /playground/activity, where the server turns it into the activity Teams sends.
const AC = window.AdaptiveCards;
const CARD = 'application/vnd.microsoft.card.adaptive';
const $ = (selector) => document.querySelector(selector);

const els = {
  person: $('#person'), messages: $('#messages'), typing: $('#typing'), banner: $('#banner'),
  compose: $('#compose'), input: $('#message'), send: $('#send'), mention: $('#mention'),
  replyTarget: $('#reply-target'), replyTargetText: $('#reply-target-text'), cancelReply: $('#cancel-reply'),
  title: $('#conversation-title'), subtitle: $('#conversation-subtitle'),
  tabs: [...document.querySelectorAll('.conversation-link')],
};

const state = {
  hello: null,
  person: 'requester',
  tab: 'channel',
  /** The channel thread the next message replies in; null starts a new post. */
  replyTo: null,
  /** Base conversation id -> { roots: message ids in order, messages: Map(id -> message) }. */
  conversations: new Map(),
  /** `${person}|${messageId}|${attachment}` -> { revision, card, stamp }: an invoke answer, shown to that person only. */
  views: new Map(),
  /** `${person}|${messageId}|${attachment}` -> { revision, text, tone, stamp }: what Teams would show under the card. */
  notices: new Map(),
  /** `${person}|${messageId}|${attachment}|${revision}`: automatic refreshes already asked for. */
  refreshed: new Set(),
  stamp: 0,
  /** The last transcript entry applied (its seq): a reconnect to the same run of the bot replays the transcript. */
  seenSeq: 0,
  /** Whether the banner tells of something past (a restart, a failed send), so that it goes once the person carries on. */
  bannerPassing: false,
};

/** The DOM of the conversation on screen, kept between renders so that what people type into cards survives updates. */
const screen = { key: '', threads: new Map(), messages: new Map() };

// ---- The conversation model, built from the server's transcript entries -------------------------

function splitConversationId(id) {
  const [base, thread] = id.split(';messageid=');
  return { base, thread };
}

function conversation(base) {
  if (!state.conversations.has(base)) state.conversations.set(base, { roots: [], messages: new Map() });
  return state.conversations.get(base);
}

function newMessage(id, base, threadId) {
  return { id, base, threadId, activity: { type: 'message' }, fromUser: false, placeholder: true, revision: 0, edited: false, deleted: false, replies: [] };
}

/** Applies one entry (a typed message, or a send, reply, update or delete of the bot); returns the conversation it changed. */
function apply(entry) {
  const { base, thread } = splitConversationId(entry.conversationId);
  const conv = conversation(base);
  const activity = entry.activity;
  let msg = conv.messages.get(entry.activityId);
  if (entry.kind === 'delete') {
    if (msg) { msg.deleted = true; msg.revision++; }
    return base;
  }
  if (activity.type === 'typing') { showTyping(base); return null; }
  if (activity.type !== 'message') return null;
  if (msg && entry.kind === 'update') {
    // An update replaces the whole message (text included); only the sender stays as it was.
    msg.activity = { from: msg.activity.from, ...activity };
    msg.revision++;
    msg.edited = true;
    return base;
  }
  if (msg && !msg.placeholder) return base;
  const rootId = threadRootOf(conv, base, thread, entry);
  if (!msg) {
    // A card action in a channel is sent in the thread of its post; a root post is its own thread.
    msg = newMessage(entry.activityId, base, rootId ?? entry.activityId);
    conv.messages.set(msg.id, msg);
    if (rootId) rootOf(conv, base, rootId).replies.push(msg.id);
    else conv.roots.push(msg.id);
  }
  Object.assign(msg, { activity, fromUser: entry.kind === 'user', placeholder: false, at: entry.at });
  msg.revision++;
  if (!msg.fromUser) hideTyping();
  return base;
}

/**
 * In a channel, a message belongs to the thread its conversation id names (";messageid=<root>"); a reply
 * sent to the channel itself (POST .../activities/<id>) goes in the thread of the message it answers.
 */
function threadRootOf(conv, base, thread, entry) {
  if (thread) return thread !== entry.activityId ? thread : null;
  if (base !== state.hello?.channel.id || entry.kind !== 'reply' || !entry.replyToId) return null;
  return conv.messages.get(entry.replyToId)?.threadId ?? entry.replyToId;
}

/** The root post of a thread; a placeholder when the page never saw it (e.g. after the bot restarted). */
function rootOf(conv, base, rootId) {
  if (!conv.messages.has(rootId)) {
    conv.messages.set(rootId, newMessage(rootId, base, rootId));
    conv.roots.push(rootId);
  }
  return conv.messages.get(rootId);
}

const me = () => state.hello.people.find((p) => p.key === state.person);
const currentBase = () => (state.tab === 'channel' ? state.hello.channel.id : state.hello.personalChats[state.person]);
const viewKey = (msg, index) => `${state.person}|${msg.id}|${index}`;

// ---- Talking to the bot ------------------------------------------------------------------------

/** Posts an action of the current person; answers with the bot's { status, body, activity }, or null after showing why not. */
async function send(action, threadId) {
  const body = {
    ...action,
    conversation: state.tab,
    person: state.person,
    ...(state.tab === 'channel' && threadId ? { threadId } : {}),
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    locale: navigator.language || 'en-US',
  };
  try {
    const res = await fetch('/playground/activity', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) { showBanner(answer.error ?? `The playground answered ${res.status}`, true); return null; }
    if (state.bannerPassing) showBanner('');
    return answer;
  } catch (err) {
    showBanner(`Could not reach the bot: ${err.message}`, true);
    return null;
  }
}

function onCardAction(action, msg, index) {
  if (action instanceof AC.ExecuteAction) {
    execute(msg, index, { verb: action.verb ?? '', data: action.data ?? {}, id: action.id }, 'manual');
  } else if (action instanceof AC.SubmitAction) {
    const data = action.data;
    // Teams posts an object as the message's value (the action's data merged with the inputs) and a string as text.
    if (typeof data === 'string') send({ kind: 'message', text: data }, msg.threadId);
    else send({ kind: 'submit', replyToId: msg.id, value: data ?? {} }, msg.threadId);
  } else if (action instanceof AC.OpenUrlAction && /^https?:\/\//i.test(action.url ?? '')) {
    window.open(action.url, '_blank', 'noopener');
  }
}

/** Sends an adaptiveCard/action invoke and shows its answer to the current person only, as Teams does. */
async function execute(msg, index, action, trigger) {
  const revision = msg.revision;
  const key = viewKey(msg, index);
  const answer = await send({ kind: 'execute', replyToId: msg.id, verb: action.verb, data: action.data, ...(action.id ? { actionId: action.id } : {}), trigger }, msg.threadId);
  if (!answer) return;
  const { status, body } = answer;
  if (status === 200 && body?.type === CARD && body.value) {
    state.views.set(key, { revision, card: body.value, stamp: ++state.stamp });
    state.notices.delete(key);
  } else if (status === 200 && body?.type === 'application/vnd.microsoft.activity.message') {
    setNotice(key, revision, String(body.value ?? ''), 'info');
  } else if (body?.type === 'application/vnd.microsoft.error') {
    setNotice(key, revision, body.value?.message ?? 'The app reported an error.', 'error');
  } else if (status !== 200) {
    setNotice(key, revision, trigger === 'automatic'
      ? `Could not refresh this card for you (the bot answered ${status}): it shows the version everyone sees.`
      : `Unable to reach app: the bot answered ${status}. Please try again.`, 'error');
  }
  render();
}

/** A notice belongs to the version of the card it answered: an update of the message clears it. */
function setNotice(key, revision, text, tone) {
  state.notices.set(key, { revision, text, tone, stamp: ++state.stamp });
}

/** A card whose refresh lists the current person's id is refreshed once per version of the message. */
function refreshIfListed(msg, index, card) {
  const refresh = card?.refresh;
  if (refresh?.action?.type !== 'Action.Execute' || !Array.isArray(refresh.userIds) || !refresh.userIds.includes(me().id)) return;
  const asked = `${viewKey(msg, index)}|${msg.revision}`;
  if (state.refreshed.has(asked)) return;
  state.refreshed.add(asked);
  execute(msg, index, { verb: refresh.action.verb ?? '', data: refresh.action.data ?? {}, id: refresh.action.id }, 'automatic');
}

// ---- Drawing -----------------------------------------------------------------------------------

// The playground's own host config is data (hostConfig.json), so that the card contrast test checks it as it checks Teams' themes.
// The gap between buttons is the CSS's (.ac-actionSet): the host config's buttonSpacing is 0, since the renderer's spacers would indent a wrapped row.
const hostConfig = new AC.HostConfig(await (await fetch('/playground/static/hostConfig.json')).json());

// Teams renders a subset of Markdown in cards and bot messages; this one escapes HTML first, so bot text is never markup.
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdown(text);
  result.didProcess = true;
};

function markdown(text) {
  const escaped = [];
  let html = String(text)
    .replace(/\u0000/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, (_m, c) => `\u0000${escaped.push(c) - 1}\u0000`)
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/&#60;at&#62;(.*?)&#60;\/at&#62;/g, '<span class="mention">@$1</span>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])[*_](?![\s*_])(.+?)[*_](?!\w)/g, '$1<em>$2</em>');
  html = html.split(/\r?\n/).reduce(listLine, { out: [], list: null }).out.join('');
  return html.replace(/\u0000(\d+)\u0000/g, (_m, i) => `&#${escaped[Number(i)].charCodeAt(0)};`);
}

function listLine(acc, line, i, lines) {
  const item = line.match(/^\s*(?:([-*])|(\d+)\.)\s+(.*)$/);
  const list = item ? (item[1] ? 'ul' : 'ol') : null;
  if (acc.list && acc.list !== list) { acc.out.push(`</${acc.list}>`); acc.list = null; }
  if (list && !acc.list) { acc.out.push(`<${list}>`); acc.list = list; }
  acc.out.push(list ? `<li>${item[3]}</li>` : `${line}${i < lines.length - 1 ? '<br>' : ''}`);
  if (i === lines.length - 1 && acc.list) acc.out.push(`</${acc.list}>`);
  return acc;
}

function renderCard(json, msg, index) {
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  card.onExecuteAction = (action) => onCardAction(action, msg, index);
  try {
    card.parse(json);
    return card.render() ?? note('This card has nothing to show.');
  } catch (err) {
    return note(`This card could not be shown: ${err.message}`);
  }
}

function note(text, className = 'subtle') {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function fillMessage(el, msg) {
  const a = msg.activity;
  const author = msg.placeholder ? 'An earlier message' : a.from?.name ?? (msg.fromUser ? me().name : state.hello.bot.name);
  el.className = `message ${msg.fromUser ? 'from-user' : 'from-bot'}${msg.placeholder ? ' placeholder' : ''}`;
  el.dataset.messageId = msg.id;
  el.setAttribute('aria-label', `${msg.fromUser ? 'Message' : 'Bot message'} from ${author}`);
  const avatar = element('span', 'avatar', initials(author));
  avatar.setAttribute('aria-hidden', 'true');
  const body = element('div', 'message-body');
  const meta = element('div', 'meta');
  meta.append(element('span', 'author', author));
  if (msg.at) meta.append(element('time', 'time', new Date(msg.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
  if (msg.edited && !msg.deleted) meta.append(element('span', 'edited', 'Edited'));
  body.append(meta);
  el.replaceChildren(avatar, body);
  if (msg.deleted) { body.append(note('This message has been deleted.')); return; }
  if (msg.placeholder) { body.append(note('Sent before this page opened.')); return; }
  if (a.text) {
    const text = element('div', 'text');
    text.innerHTML = markdown(a.text);
    body.append(text);
  }
  (a.attachments ?? []).forEach((attachment, index) => body.append(attachmentElement(attachment, msg, index)));
}

function attachmentElement(attachment, msg, index) {
  if (attachment.contentType !== CARD) return note(`(An attachment of type ${attachment.contentType} that this playground does not draw.)`);
  const key = viewKey(msg, index);
  const view = state.views.get(key);
  const own = view && view.revision === msg.revision;
  const host = element('div', `card${own ? ' own-view' : ''}`);
  host.append(renderCard(own ? view.card : attachment.content, msg, index));
  if (own) host.append(note('This version of the card is shown to you only.', 'subtle view-note'));
  const notice = state.notices.get(key);
  if (notice && notice.revision === msg.revision) {
    const n = note(notice.text, `notice ${notice.tone}`);
    n.setAttribute('role', 'status');
    host.append(n);
  }
  refreshIfListed(msg, index, attachment.content);
  return host;
}

function initials(name) {
  return name.split(/\s+/).map((w) => w[0]).join('').slice(0, 2).toUpperCase();
}

function renderKey(msg) {
  const keys = (msg.activity.attachments ?? []).map((_a, i) => viewKey(msg, i));
  return [msg.revision, msg.deleted, ...keys.map((k) => `${state.views.get(k)?.stamp}/${state.notices.get(k)?.stamp}`)].join('|');
}

function syncMessage(msg, container) {
  let shown = screen.messages.get(msg.id);
  if (!shown) {
    shown = { el: element('article'), key: null };
    screen.messages.set(msg.id, shown);
    container.append(shown.el);
  }
  const key = renderKey(msg);
  if (shown.key !== key) {
    shown.key = key;
    fillMessage(shown.el, msg);
  }
}

function threadElement(rootId) {
  let thread = screen.threads.get(rootId);
  if (!thread) {
    const el = element('div', 'thread');
    el.dataset.threadId = rootId;
    const root = element('div', 'thread-root');
    const replies = element('div', 'replies');
    const reply = element('button', 'reply-button', 'Reply');
    reply.type = 'button';
    reply.addEventListener('click', () => startReply(rootId));
    el.append(root, replies, reply);
    els.messages.append(el);
    thread = { el, root, replies };
    screen.threads.set(rootId, thread);
  }
  return thread;
}

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => { renderQueued = false; render(); }, 0);
}

/** Brings the conversation on screen up to date, redrawing only the messages that changed. */
function render() {
  if (!state.hello) return;
  const base = currentBase();
  const key = `${state.person}|${base}`;
  if (screen.key !== key) {
    screen.key = key;
    screen.threads.clear();
    screen.messages.clear();
    els.messages.replaceChildren();
    drawChrome();
  }
  const atBottom = els.messages.scrollHeight - els.messages.scrollTop - els.messages.clientHeight < 80;
  const before = els.messages.scrollHeight;
  const conv = conversation(base);
  for (const rootId of conv.roots) {
    const root = conv.messages.get(rootId);
    if (state.tab !== 'channel') { syncMessage(root, els.messages); continue; }
    const thread = threadElement(rootId);
    syncMessage(root, thread.root);
    root.replies.forEach((id) => syncMessage(conv.messages.get(id), thread.replies));
  }
  if (atBottom && els.messages.scrollHeight !== before) els.messages.scrollTop = els.messages.scrollHeight;
}

// ---- The frame around the conversation ----------------------------------------------------------

function drawChrome() {
  const { hello } = state;
  const inChannel = state.tab === 'channel';
  els.tabs.forEach((tab) => tab.setAttribute('aria-current', String(tab.dataset.tab === state.tab)));
  els.title.textContent = inChannel ? hello.channel.name : hello.bot.name;
  els.subtitle.textContent = inChannel
    ? `${hello.team.name} team · a post mentions the bot; its answers and the card flow stay in the post's thread`
    : `Personal chat of ${me().name} with the bot`;
  els.mention.hidden = !inChannel;
  startReply(null);
}

function startReply(rootId) {
  state.replyTo = state.tab === 'channel' ? rootId : null;
  els.replyTarget.hidden = !state.replyTo;
  if (state.replyTo) {
    const root = conversation(currentBase()).messages.get(state.replyTo);
    const said = root?.activity.text ? root.activity.text.replace(/<at>.*?<\/at>\s*/g, '').slice(0, 60) : 'a card';
    els.replyTargetText.textContent = `Replying in the thread of "${said}"`;
    els.input.focus();
  }
}

function setUp(hello) {
  const first = !state.hello;
  state.hello = hello;
  if (!first) return;
  $('#team-name').textContent = hello.team.name;
  $('#channel-name').textContent = hello.channel.name;
  $('#bot-name').textContent = hello.bot.name;
  $('#service-url').textContent = hello.serviceUrl;
  els.mention.textContent = `@${hello.bot.name}`;
  els.person.replaceChildren(...hello.people.map((p) => new Option(`${p.name} (${p.role.toLowerCase()})`, p.key)));
  $('#people').replaceChildren(...hello.people.map(personItem));
  const approver = hello.people.find((p) => p.key === 'approver');
  $('#approver-hint').replaceChildren(...(hello.approverConfigured
    ? [`${approver.name} acts as the first approver of SCHEDULE_APPROVERS:`, element('code', '', approver.aadObjectId)]
    : [`To let ${approver.name} approve schedules, start the bot with`, element('code', '', `SCHEDULE_APPROVERS=${hello.demoApproverId}`)]));
  [els.person, els.input, els.send].forEach((el) => { el.disabled = false; });
}

function personItem(p) {
  const li = element('li');
  li.append(element('strong', '', `${p.name}, ${p.role.toLowerCase()}`), element('span', 'subtle', `user id ${p.id}`),
    element('span', 'subtle', `Azure AD object id ${p.aadObjectId}`));
  return li;
}

let typingTimer;
function showTyping(base) {
  if (!state.hello || base !== currentBase()) return;
  els.typing.textContent = `${state.hello.bot.name} is typing…`;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(hideTyping, 3000);
}

function hideTyping() {
  els.typing.textContent = '';
}

/** Shows `text` above the conversation (none: hides it); a `passing` one goes when the next action reaches the bot. */
function showBanner(text, passing = false) {
  els.banner.textContent = text;
  els.banner.hidden = !text;
  state.bannerPassing = Boolean(text) && passing;
}

// ---- Events ------------------------------------------------------------------------------------

els.person.addEventListener('change', () => { state.person = els.person.value; render(); });
els.tabs.forEach((tab) => tab.addEventListener('click', () => { state.tab = tab.dataset.tab; render(); }));
els.cancelReply.addEventListener('click', () => startReply(null));
els.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); els.compose.requestSubmit(); }
});
els.compose.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = els.input.value.trim();
  if (!text) return;
  els.input.value = '';
  send({ kind: 'message', text }, state.replyTo);
});

const RESTARTED = 'The bot restarted. It kept your setup and projects: carry on where you were (its cards still work), or type "status".';
const RECONNECT_MS = 2000;

function connect() {
  const events = new EventSource('/playground/events');
  events.addEventListener('hello', (e) => {
    const hello = JSON.parse(e.data);
    // The same run of the bot replays its transcript after hello: the page skips what it has (seenSeq). A new run
    // starts a transcript of its own; the page keeps what it showed of the earlier run, as Teams keeps a
    // conversation, because the bot kept its state: those threads and cards still work.
    const restarted = Boolean(state.hello) && state.hello.bootId !== hello.bootId;
    if (restarted) state.seenSeq = 0;
    setUp(hello);
    if (restarted) showBanner(RESTARTED, true);
    else if (!state.bannerPassing) showBanner('');
    scheduleRender();
  });
  events.addEventListener('entry', (e) => {
    const entry = JSON.parse(e.data);
    if (entry.seq <= state.seenSeq) return;
    state.seenSeq = entry.seq;
    if (apply(entry) && state.hello) scheduleRender();
  });
  events.addEventListener('error', () => {
    showBanner('Lost the connection to the bot: reconnecting…');
    // The browser retries a dropped stream by itself, but gives up on an answer that is not an event stream (e.g. a 503 while the bot starts).
    if (events.readyState === EventSource.CLOSED) setTimeout(connect, RECONNECT_MS);
  });
}

connect();
