// breachclock compliance desk: plain JavaScript over the same HTTP API as the CLI. Every piece of text that
// comes from alerts or people is written with textContent (never as HTML).
'use strict';

const $ = (id) => document.getElementById(id);
const session = {
  get token() { return sessionStorage.getItem('bc.token'); },
  get actor() { return sessionStorage.getItem('bc.actor'); },
};
/** How to sign in (served by the page's own origin): the API token locally, Cognito's hosted sign-in on AWS. */
let config = { auth: 'token' };
/** Who is signed in and what their roles allow (GET /api/me); controls only what is shown: the API decides. */
let me = { actor: '', roles: [], permissions: [] };
const can = (permission) => me.permissions.includes(permission);
/**
 * The stack's clock, not the browser's: every view the API answers carries its `now` (virtual time on the local
 * stack after `advance`), and countdowns and bars count from it, so the desk agrees with the CLI and the API.
 */
let clockSkewMs = 0;
const serverNow = () => Date.now() + clockSkewMs;
function observeServerTime(payload) {
  const at = typeof payload?.now === 'string' ? Date.parse(payload.now) : NaN;
  if (Number.isFinite(at)) clockSkewMs = at - Date.now();
}
/** Why the sign-in view is shown again (a refused token), kept until the next sign-in. */
let signInNotice = '';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}

function authHeaders(extra = {}) {
  return { authorization: `Bearer ${session.token}`, ...(config.auth === 'token' && session.actor ? { 'x-actor': session.actor } : {}), ...extra };
}

// ---- Cognito hosted sign-in: authorization code with PKCE (RFC 7636), a public client ------------------

const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const redirectUri = () => `${location.origin}/dashboard`;

async function startCognitoSignIn() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem('bc.pkce', JSON.stringify({ verifier, state, hash: location.hash }));
  const url = new URL('/oauth2/authorize', config.domain);
  url.search = new URLSearchParams({ response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: 'openid email profile', state, code_challenge: challenge, code_challenge_method: 'S256' }).toString();
  location.assign(url.toString());
}

/** Back from the hosted sign-in with ?code=…&state=…: exchange the code for tokens; the access token is the API's. */
async function finishCognitoSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return;
  const saved = JSON.parse(sessionStorage.getItem('bc.pkce') ?? 'null');
  sessionStorage.removeItem('bc.pkce');
  history.replaceState(null, '', `${location.pathname}${saved?.hash ?? ''}`);
  if (params.has('error')) throw new Error(`Sign-in failed: ${params.get('error_description') ?? params.get('error')}`);
  if (!saved || saved.state !== params.get('state')) throw new Error('The sign-in answer does not match a sign-in started here (state); sign in again');
  const response = await fetch(new URL('/oauth2/token', config.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.clientId, code: params.get('code'), redirect_uri: redirectUri(), code_verifier: saved.verifier }),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || !tokens.access_token) throw new Error(`Sign-in failed: ${tokens.error_description ?? tokens.error ?? response.status}`);
  sessionStorage.setItem('bc.token', tokens.access_token);
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: authHeaders(body ? { 'content-type': 'application/json' } : {}),
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const payload = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  if (response.status === 401) {
    signInNotice = `The token was refused (${payload?.error?.message ?? 'not valid'}): sign in again with a valid one`;
    signOut(false);
    throw new Error(signInNotice);
  }
  if (!response.ok) {
    const details = (payload?.error?.details ?? []).map((d) => `${d.path}: ${d.message}`).join('; ');
    throw new Error(`${payload?.error?.message ?? response.statusText}${details ? ` (${details})` : ''}`);
  }
  observeServerTime(payload);
  return payload;
}

function showError(error) {
  $('error').textContent = error ? String(error.message ?? error) : '';
}

/** A time in the viewer's zone, with the UTC instant on hover. */
function time(iso) {
  if (!iso) return el('span', { text: '-' });
  return el('time', { datetime: iso, title: `${iso} (UTC)`, text: new Date(iso).toLocaleString() });
}

function formatLeft(ms) {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return `${sign}${d ? `${d}d ` : ''}${d || h ? `${h}h ` : ''}${m}m ${d ? '' : `${String(s).padStart(2, '0')}s`}`.trim();
}

/**
 * Colour band of a clock: overdue, under 6 h, under 24 h, running; settled or waiting clocks are grey. A target
 * (the law sets no fixed deadline; the organisation's own) that has passed is "target", never "overdue".
 */
function band(clock, now) {
  if (['submitted', 'not-required', 'met', 'not-in-force', 'stopped'].includes(clock.status)) return 'done';
  if (!clock.dueAt) return 'waiting';
  const left = Date.parse(clock.dueAt) - now;
  if (left < 0) return clock.deadlineKind === 'target' ? 'target' : 'overdue';
  if (left < 6 * 3600_000) return 'urgent';
  if (left < 24 * 3600_000) return 'soon';
  return 'ok';
}

/** The regime clocks of an incident (the GDPR one first), as countdown chips refreshed every second. */
function clockChips(incident) {
  const wrap = el('div');
  for (const clock of incident.regimeClocks ?? []) {
    const chip = el('span', { class: 'clock', 'data-due': clock.dueAt ?? '', 'data-status': clock.status, 'data-kind': clock.deadlineKind ?? 'legal', title: `${clock.regimeName}: ${clock.label}${clock.dueAt ? `, ${clock.deadlineKind === 'target' ? 'our target (no legal deadline)' : 'due'} ${clock.dueAt} (UTC)` : ''}` });
    chip.dataset.label = `${clock.regime}/${clock.obligation}`;
    wrap.append(chip);
  }
  tickChips(wrap);
  return wrap;
}

function tickChips(root = document) {
  const now = serverNow();
  for (const chip of root.querySelectorAll('.clock')) {
    const clock = { dueAt: chip.dataset.due || null, status: chip.dataset.status, deadlineKind: chip.dataset.kind };
    const b = band(clock, now);
    chip.className = `clock band-${b}`;
    const what = chip.dataset.label;
    chip.textContent = b === 'done' ? `${what}: ${clock.status}` : !clock.dueAt ? `${what}: waiting` : b === 'overdue' ? `${what}: OVERDUE ${formatLeft(Date.parse(clock.dueAt) - now)}` : b === 'target' ? `${what}: target passed (no legal deadline)` : `${what}: ${formatLeft(Date.parse(clock.dueAt) - now)}`;
  }
}

// ---- views -----------------------------------------------------------------------------------------

let timer;

function show(view) {
  for (const id of ['sign-in', 'list', 'my-tasks', 'detail']) $(id).hidden = id !== view;
}

/**
 * A paged view (most urgent first across pages): the cursors of the pages before this one, for "previous",
 * and its two buttons. `show` sets the buttons after a page is read; `wire` makes them turn the pages.
 */
function pager(nextId, previousId) {
  const state = { cursors: [], current: undefined };
  return {
    query: (separator) => (state.current ? `${separator}next=${encodeURIComponent(state.current)}` : ''),
    show(next) {
      $(nextId).hidden = !next;
      $(nextId).dataset.next = next ?? '';
      $(previousId).hidden = state.cursors.length === 0 && !state.current;
    },
    wire(render) {
      $(nextId).addEventListener('click', () => {
        state.cursors.push(state.current);
        state.current = $(nextId).dataset.next;
        render().catch(showError);
      });
      $(previousId).addEventListener('click', () => {
        state.current = state.cursors.pop();
        render().catch(showError);
      });
    },
  };
}

/** The incident list, paged. */
const pages = pager('next-page', 'previous-page');

async function renderList() {
  const { incidents, next } = await api('GET', `/api/incidents${pages.query('?')}`);
  pages.show(next);
  const rows = $('incident-rows');
  rows.replaceChildren(
    ...incidents.map((incident) => {
      const link = el('a', { href: `#/incident/${encodeURIComponent(incident.id)}`, text: incident.id });
      return el(
        'tr',
        { class: 'incident', 'data-incident': incident.id },
        el('td', {}, link, el('br'), el('span', { text: incident.title })),
        el('td', { text: incident.severity }),
        el('td', { text: incident.status }),
        el('td', {}, clockChips(incident)),
        el('td', { class: incident.tasks.overdue ? 'overdue' : '', text: `${incident.tasks.open} open${incident.tasks.overdue ? `, ${incident.tasks.overdue} overdue` : ''}` }),
        el('td', { text: String(incident.alertCount) }),
      );
    }),
  );
  $('no-incidents').hidden = incidents.length > 0;
}

/** "My tasks", paged like the list (incident by incident, most urgent first). */
const taskPages = pager('next-tasks', 'previous-tasks');

async function renderMyTasks() {
  const { tasks, next } = await api('GET', `/api/tasks?owner=me${taskPages.query('&')}`);
  taskPages.show(next);
  $('task-rows').replaceChildren(
    ...tasks.map((task) =>
      el(
        'tr',
        { class: `task${task.overdue ? ' overdue' : ''}`, 'data-task': task.id },
        el('td', {}, el('a', { href: `#/incident/${encodeURIComponent(task.incidentId)}`, text: task.incidentId }), el('br'), el('span', { text: task.incidentTitle })),
        el('td', { text: task.title }),
        el('td', { text: task.role }),
        el('td', {}, task.dueAt ? time(task.dueAt) : '-', task.overdue ? el('strong', { text: ' OVERDUE' }) : ''),
      ),
    ),
  );
  $('no-tasks').hidden = tasks.length > 0;
}

/** One task: what, who, when; Take, and a note to complete it or set it aside (the note is kept in the trail). */
function taskItem(task) {
  const state = task.status === 'open' ? (task.owner ? `owner ${task.owner}` : 'nobody has taken it') : `${task.status === 'done' ? 'done' : 'not applicable'} by ${task.closedBy}: ${task.note}`;
  const item = el('li', { class: `task ${task.status}${task.overdue ? ' overdue' : ''}`, 'data-task': task.id },
    el('span', { text: `${task.title} (${task.phase}, ${task.role}${task.blocksClose ? ', blocks closing' : ''}) · ${state}` }),
    task.dueAt ? el('span', { text: task.status === 'open' ? ' · due ' : ' · was due ' }) : '',
    task.dueAt ? time(task.dueAt) : '',
    task.overdue ? el('strong', { text: ' OVERDUE' }) : '',
  );
  if (task.status === 'open') {
    const form = el('form', { class: 'task-form' });
    if (!task.owner && can('assign-task')) {
      const take = el('button', { type: 'button', text: 'Take' });
      take.addEventListener('click', () => act({ action: 'assign-task', taskId: task.id }));
      form.append(take);
    }
    const noteId = `note-${task.id}`;
    const note = el('input', { id: noteId, minlength: '3', maxlength: '4000', placeholder: 'What was done, or why it does not apply' });
    const done = el('button', { type: 'submit', text: 'Done' });
    const aside = el('button', { type: 'button', text: 'Not applicable' });
    aside.addEventListener('click', () => act({ action: 'set-aside-task', taskId: task.id, reason: note.value }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      act({ action: 'complete-task', taskId: task.id, note: note.value });
    });
    form.append(el('label', { for: noteId, class: 'visually-hidden', text: `Note for ${task.title}` }), note, done, aside);
    if (can('complete-task')) item.append(form);
  }
  return item;
}

function definitionList(target, entries) {
  target.replaceChildren(...entries.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { text: value === undefined || value === null || value === '' ? '-' : String(value) })]));
}

/** Elapsed against deadline for each clock with a trigger and a due time; the GDPR ladder's steps marked. */
function clockPictures(incident, timers) {
  const now = serverNow();
  const pictures = [];
  const adoptable = new Set();
  for (const clock of incident.regimeClocks ?? []) {
    const b = band(clock, now);
    const title = el('div', {}, el('strong', { text: `${clock.regimeName}: ${clock.label}` }), ' ', el('span', { text: `(${clock.recipient}) ${clock.deadlineKind === 'target' ? 'target (no legal deadline) ' : 'due '}` }), time(clock.dueAt), el('span', { text: ` · ${clock.status}${clock.provisional ? ', provisional' : ''}${clock.safeHarbour ? ` · safe harbour: ${clock.safeHarbour}` : ''}${clock.riskOfHarmException ? ' · risk-of-harm exception (dismiss-regime to document)' : ''}${clock.provisionalApplicability ? ` · ${clock.provisionalApplicability}` : ''}` }));
    pictures.push(title);
    const change = clock.ruleChange;
    if (change) {
      // The pack's version changed since the incident recorded this clock: both deadlines; the officer chooses.
      const { recorded: r, current: c } = change;
      pictures.push(el('div', { class: 'hint', 'data-rule-change': `${clock.regime}/${clock.obligation}` }, el('span', { class: 'badge broken', text: 'rule changed' }), ` recorded v${r.version}: due `, time(r.dueAt), ` · current v${c.version ?? '(withdrawn)'}: due `, time(c.dueAt), change.frozen ? ' · closed: kept as at closing' : ' · the earlier counts until you choose'));
      if (!change.frozen && c.version && !adoptable.has(clock.regime) && can('adopt-rule-version')) {
        adoptable.add(clock.regime);
        const adopt = el('button', { type: 'button', text: `Adopt ${clock.regime} version ${c.version}` });
        adopt.addEventListener('click', () => act({ action: 'adopt-rule-version', regime: clock.regime }));
        pictures.push(adopt);
      }
    }
    if (!clock.triggerAt || !clock.dueAt) continue;
    const start = Date.parse(clock.triggerAt);
    const span = Math.max(1, Date.parse(clock.dueAt) - start);
    const bar = el('div', { class: `bar band-${b}`, role: 'img', 'aria-label': `${Math.min(100, Math.round(((now - start) / span) * 100))} % of the time to the deadline has passed` });
    const elapsed = el('div', { class: 'elapsed' });
    elapsed.style.width = `${Math.max(0, Math.min(100, ((now - start) / span) * 100))}%`; // CSSOM: allowed by the CSP
    bar.append(elapsed);
    if (clock.regime === 'gdpr-art33') {
      for (const t of timers.filter((t) => t.timerId.startsWith('gdpr-art33.'))) {
        const at = ((Date.parse(t.dueAt) - start) / span) * 100;
        if (at < 0 || at > 100) continue;
        const step = el('span', { class: 'step', title: `${t.stepId}: ${t.status} (${t.dueAt} UTC)` });
        step.style.left = `${at}%`;
        bar.append(step);
      }
    }
    pictures.push(bar);
  }
  return pictures;
}

/** Shows only the actions the signed-in roles allow (the API checks again and answers 403 otherwise). */
function applyPermissions(root = document) {
  for (const node of root.querySelectorAll('[data-permission]')) node.hidden = !can(node.dataset.permission);
}

/** The review each notice's reader was shown, by incident/notice: pinned until they ask for the current content. */
const reviews = new Map();

function pinReview(view) {
  const { rendered } = view.draft;
  return { version: view.notice.version, hash: view.contentHash, elementHashes: view.elementHashes, subject: rendered.subject, text: rendered.text, sms: rendered.sms, list: view.recipients };
}

const noticePath = (incidentId, noticeId) => `/api/incidents/${encodeURIComponent(incidentId)}/notices/${encodeURIComponent(noticeId)}`;

/** One notice: what it is, who approved it, and while it is sent a progress bar of the deliveries. */
function noticeItem(incidentId, notice, view) {
  const item = el('li', { class: 'notice', 'data-notice': notice.noticeId });
  item.append(el('span', { text: `${notice.noticeId}: ${notice.kind} (${notice.language}), ${notice.status}, version ${notice.version}${notice.approval ? `, approved by ${notice.approval.by}` : ''}${notice.submission ? `, submitted ref ${notice.submission.reference}` : ''}${notice.recipients ? `, ${notice.recipients.valid} recipients` : ''}` }));
  const missing = view?.draft?.missing ?? [];
  if (notice.status === 'draft' && missing.length) item.append(el('div', { class: 'hint', text: `Missing before approval: ${missing.map((m) => `${m.label} (${m.language}${m.written ? `, holds ${m.written} text` : ''})`).join('; ')}` }));
  const progress = view?.progress;
  if (progress) {
    const label = `Delivery of ${notice.noticeId}`;
    const id = `progress-${notice.noticeId}`;
    item.append(el('div', { class: 'delivery' },
      el('label', { for: id, text: label }),
      el('progress', { id, max: '100', value: String(progress.percent) }),
      el('span', { class: 'progress-text', text: ` ${progress.percent} %: ${progress.sent} sent, ${progress.delivered} delivered, ${progress.bounced} bounced, ${progress.failed} failed, ${progress.parked} to review${progress.planned !== undefined ? ` of ${progress.planned} planned` : ''}` }),
    ));
  }
  const buttons = [];
  const noticeAction = (text, permission, body) => {
    const button = el('button', { type: 'button', 'data-permission': permission, text });
    button.addEventListener('click', () => act(body, noticePath(incidentId, notice.noticeId)));
    buttons.push(button);
  };
  // Four eyes means reading first: the notice as it would be sent (text and SMS), its recipients and its content
  // hash, and a button that approves exactly what is shown. What is shown is pinned until the reader asks for the
  // current content: the 2-second refresh never swaps it under them; the API refuses (naming what changed) an
  // approval of content that moved since.
  if (notice.status === 'draft' && view?.contentHash) {
    const key = `${incidentId}/${notice.noticeId}`;
    let shown = reviews.get(key);
    if (!shown || shown.version !== view.notice.version) reviews.set(key, (shown = pinReview(view)));
    const review = el('details', { class: 'review', open: '' },
      el('summary', { text: `Read before approving: version ${shown.version} as it would be sent` }),
      el('pre', { class: 'rendered', text: `Subject: ${shown.subject}\n\n${shown.text}` }),
      ...(shown.sms ? [el('pre', { class: 'rendered sms', text: `SMS: ${shown.sms}` })] : []),
      el('div', { class: 'hash', text: `Content hash ${shown.hash}${shown.list ? ` · ${shown.list.valid} valid recipients of ${shown.list.rows} · list hash ${shown.list.sha256}` : ''}` }),
    );
    item.append(review);
    if (shown.hash !== view.contentHash || shown.list?.sha256 !== view.recipients?.sha256) {
      const reload = el('button', { type: 'button', text: 'Show the current content' });
      reload.addEventListener('click', () => { reviews.set(key, pinReview(view)); renderDetail(incidentId); });
      item.append(el('div', { class: 'hint changed', role: 'status', text: 'The notice or its recipient list as it stands now differs from what is shown; approving what is shown will be refused. ' }, reload));
    }
    // Task text is a suggestion (issue 26.2): in the notice only once an officer accepts it (an edit by them).
    for (const e of view.draft.elements.filter((e) => e.suggestion && !e.value)) {
      item.append(el('div', { class: 'hint suggestion', text: `Suggested for ${e.label} (${e.suggestion.language}, from the response tasks): ${e.suggestion.text}` }));
      noticeAction(`Accept the suggestion for ${e.label}`, 'edit-notice', { action: 'accept-suggestion', element: e.id, expectedVersion: view.notice.version, suggestionHash: e.suggestion.hash });
    }
    noticeAction(`Approve the content shown (version ${shown.version})`, 'approve-notice', { action: 'approve', expectedVersion: shown.version, expectedContentHash: shown.hash, reviewedElements: shown.elementHashes, ...(shown.list ? { expectedRecipientsHash: shown.list.sha256 } : {}) });
  }
  if (notice.status === 'approved' && notice.recipients) noticeAction('Send to the affected people', 'send-notice', { action: 'send' });
  if (buttons.length) item.append(el('div', { class: 'notice-actions' }, ...buttons));
  applyPermissions(item);
  return item;
}

/**
 * One happening, one line: recording a notice as submitted writes two trail events, the notice's
 * (`notice.submitted`) and the clock's it stops (`incident.submission-recorded`, naming the notice). The desk
 * shows the clock's line, which says which obligation was met and whether late, and names the notice in it.
 */
function oneLinePerEvent(timeline) {
  const byClock = new Set(timeline.filter((e) => e.type === 'incident.submission-recorded' && e.data?.noticeId).map((e) => e.data.noticeId));
  return timeline
    .filter((e) => !(e.type === 'notice.submitted' && byClock.has(e.data?.noticeId)))
    .map((e) => (e.type === 'incident.submission-recorded' && e.data?.noticeId ? { ...e, summary: `${e.summary} (notice ${e.data.noticeId})` } : e));
}

async function renderDetail(id) {
  const [detail, { notices }, trail] = await Promise.all([
    api('GET', `/api/incidents/${encodeURIComponent(id)}`),
    api('GET', `/api/incidents/${encodeURIComponent(id)}/notices`).catch(() => ({ notices: [] })),
    api('GET', `/api/incidents/${encodeURIComponent(id)}/trail`),
  ]);
  // Each notice's own view: what is missing before approval, and delivery progress while it is sent.
  const views = await Promise.all(notices.map((n) => (['draft', 'sending', 'sent'].includes(n.status) ? api('GET', noticePath(id, n.noticeId)).catch(() => undefined) : undefined)));
  const incident = detail.incident;
  $('detail-title').textContent = `${incident.id}: ${incident.title}`;
  $('detail-meta').replaceChildren(
    el('span', { text: `${incident.status} · ${incident.severity} · ${incident.alertCount} alerts · detected ` }),
    time(incident.detectedAt),
    el('span', { text: incident.awareAt ? ' · aware since ' : '' }),
    incident.awareAt ? time(incident.awareAt) : '',
    el('span', { text: ` · owner ${incident.owner ?? 'nobody'}` }),
  );
  const badge = $('trail-badge');
  badge.className = `badge ${trail.ok ? 'ok' : 'broken'}`;
  badge.textContent = trail.ok ? `Audit trail intact (${trail.events} events)` : `AUDIT TRAIL BROKEN: ${trail.problems.map((p) => `${p.kind} #${p.seq}`).join(', ')}`;
  $('clocks').replaceChildren(...clockPictures(incident, detail.timers));
  const facts = incident.facts ?? {};
  definitionList($('facts'), [
    ['Jurisdictions (people affected)', (facts.jurisdictions ?? []).map((j) => `${j.code}: ${j.affected}`).join(', ')],
    ['Data categories', (facts.dataCategories ?? []).join(', ')],
    ['People categories', (facts.peopleCategories ?? []).join(', ')],
    ['Role', facts.role],
    ['Encryption', facts.encryption ? (facts.encryption.encrypted ? `encrypted${facts.encryption.keyCompromised ? ', key compromised' : ', key safe'}` : 'not encrypted') : undefined],
  ]);
  const risk = incident.riskAssessment;
  definitionList($('risk'), risk ? [['Level', risk.level], ['Severity score', risk.severityScore], ['Art. 34(3) exemption', risk.art34Exemption], ['Assessed by', risk.by], ['Rationale', risk.rationale]] : [['Assessment', 'not yet assessed']]);
  $('decisions').replaceChildren(
    ...Object.values(incident.decisions ?? {}).map((d) => {
      const item = el('li', { text: `${d.regime}: ${d.notify ? 'notify' : 'do not notify'}, proposed by ${d.proposedBy}${d.confirmedBy ? `, confirmed by ${d.confirmedBy}` : ', awaiting confirmation'}${d.stale ? ' (stale)' : ''}${d.override ? ` — OVERRIDE: ${d.override.reason}` : ''}: ${d.rationale}` });
      if (!d.confirmedBy && !d.stale) {
        const button = el('button', { type: 'button', 'data-permission': 'confirm-decision', text: `Confirm the ${d.regime} decision (four eyes)` });
        button.addEventListener('click', () => act({ action: 'confirm-decision', regime: d.regime }));
        item.append(' ', button);
        applyPermissions(item);
      }
      return item;
    }),
  );
  const regimes = [...new Set((incident.regimeClocks ?? []).map((c) => c.regime))];
  const select = $('decision-regime');
  if (select.dataset.regimes !== regimes.join(',')) {
    select.replaceChildren(...regimes.map((r) => el('option', { value: r, text: r })));
    select.dataset.regimes = regimes.join(',');
  }
  $('notices').replaceChildren(...notices.map((n, i) => noticeItem(id, n, views[i])));
  const tasks = incident.tasks ?? [];
  const openTasks = tasks.filter((t) => t.status === 'open');
  $('task-summary').textContent = `${openTasks.length} open (${openTasks.filter((t) => t.overdue).length} overdue, ${openTasks.filter((t) => t.blocksClose).length} blocking closing), ${tasks.length - openTasks.length} done or not applicable${incident.kind ? ` · kind: ${incident.kind}` : ''}`;
  // Open first (overdue, then soonest due), then the rest.
  const order = (t) => `${t.status === 'open' ? 0 : 1}${t.overdue ? 0 : 1}${t.dueAt ?? '9999'}`;
  $('tasks').replaceChildren(...[...tasks].sort((a, b) => order(a).localeCompare(order(b))).map(taskItem));
  $('add-task-form').hidden = incident.status === 'closed' || !can('add-task');
  const kinds = detail.taskKinds ?? [];
  const kindSelect = $('kind-select');
  const kindKey = `${kinds.map((k) => k.kind).join(',')}|${incident.kind ?? ''}`;
  if (kindSelect.dataset.key !== kindKey) {
    kindSelect.replaceChildren(...kinds.map((k) => el('option', { value: k.kind, text: `${k.label}${k.kind === incident.kind ? ' (current)' : ''}` })));
    if (incident.kind) kindSelect.value = incident.kind;
    kindSelect.dataset.key = kindKey;
  }
  $('kind-form').hidden = incident.status === 'closed' || !can('set-kind') || kinds.length === 0;
  $('timeline').replaceChildren(...oneLinePerEvent(detail.timeline).reverse().map((e) => el('li', {}, time(e.at), el('span', { text: ` ${e.summary}` }))));
  const open = ['detected', 'acknowledged'].includes(incident.status);
  // Only what can be done to the incident as it stands, by these roles: acknowledged once, owned by one person (a hand-over is theirs).
  document.querySelector('#actions [data-action="acknowledge"]').hidden = incident.status !== 'detected' || !can('acknowledge');
  document.querySelector('#actions [data-action="take-ownership"]').hidden = ['closed', 'dismissed'].includes(incident.status) || Boolean(incident.owner) || !can('take-ownership');
  $('confirm-form').hidden = !open || !can('confirm');
  $('dismiss-form').hidden = !open || !can('dismiss');
  $('close-form').hidden = !['confirmed', 'dismissed'].includes(incident.status) || !can('close');
  $('decision-form').hidden = !['confirmed'].includes(incident.status) || !can('propose-decision') || regimes.length === 0;
}

async function act(action, base) {
  const id = decodeURIComponent(location.hash.slice('#/incident/'.length));
  try {
    showError();
    await api('POST', `${base ?? `/api/incidents/${encodeURIComponent(id)}`}/actions`, action);
    $('status').textContent = `Done: ${action.action}`;
    await renderDetail(id);
  } catch (error) {
    showError(error);
  }
}

async function route() {
  clearInterval(timer);
  showError();
  if (!session.token) {
    show('sign-in');
    if (signInNotice) $('error').textContent = signInNotice;
    $('token-sign-in').hidden = config.auth !== 'token';
    $('cognito-sign-in').hidden = config.auth !== 'cognito';
    (config.auth === 'token' ? $('token') : $('cognito-button')).focus();
    return;
  }
  try {
    me = await api('GET', '/api/me');
    $('who').textContent = `${me.actor} · ${me.roles.length ? me.roles.join(', ') : 'no role: ask an administrator for one'}`;
    applyPermissions();
  } catch (error) {
    showError(error);
    return;
  }
  const match = /^#\/incident\/(.+)$/.exec(location.hash);
  const mine = location.hash === '#/tasks';
  const render = match ? () => renderDetail(decodeURIComponent(match[1])) : mine ? renderMyTasks : renderList;
  // Shown once rendered: the view must not show (or take input into) what an earlier visit left in it.
  show(undefined);
  try {
    await render();
  } catch (error) {
    showError(error);
  }
  show(match ? 'detail' : mine ? 'my-tasks' : 'list');
  // Live: re-read every two seconds (a new alert appears without a reload); countdowns tick every second.
  // A refresh clears only the error a refresh showed: an action's refusal stays until the next action.
  let polls = 0;
  let refreshFailed = false;
  timer = setInterval(() => {
    tickChips();
    if (++polls % 2 === 0 && !document.activeElement?.closest('form')) {
      render().then(
        () => {
          if (refreshFailed) showError();
          refreshFailed = false;
        },
        (error) => {
          refreshFailed = true;
          showError(error);
        },
      );
    }
  }, 1000);
}

/** Forgets the token; on AWS, `everywhere` also ends the hosted sign-in session (Cognito's logout endpoint). */
function signOut(everywhere = true) {
  sessionStorage.removeItem('bc.token');
  sessionStorage.removeItem('bc.actor');
  $('who').textContent = '';
  if (everywhere && config.auth === 'cognito') {
    const url = new URL('/logout', config.domain);
    url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() }).toString();
    location.assign(url.toString());
    return;
  }
  location.hash = '#/';
  route();
}

document.addEventListener('DOMContentLoaded', async () => {
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signInNotice = '';
    sessionStorage.setItem('bc.token', $('token').value);
    sessionStorage.setItem('bc.actor', $('actor').value);
    route();
  });
  $('cognito-button').addEventListener('click', () => startCognitoSignIn().catch(showError));
  $('sign-out').addEventListener('click', () => signOut(true));
  $('register-csv').addEventListener('click', async () => {
    try {
      const response = await fetch('/api/register?format=csv', { headers: authHeaders() });
      if (!response.ok) throw new Error(`Register export failed (${response.status})`);
      const url = URL.createObjectURL(await response.blob());
      const link = el('a', { href: url, download: 'breach-register.csv' });
      document.body.append(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(url);
    } catch (error) {
      showError(error);
    }
  });
  for (const button of document.querySelectorAll('[data-action]')) button.addEventListener('click', () => act({ action: button.dataset.action }));
  $('confirm-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act({ action: 'confirm', awareAt: new Date($('confirm-aware').value).toISOString(), justification: $('confirm-why').value });
  });
  $('dismiss-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act({ action: 'dismiss', reason: $('dismiss-why').value });
  });
  $('close-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const override = $('close-override').value.trim();
    act({ action: 'close', reason: $('close-why').value, ...(override ? { override } : {}) });
  });
  $('kind-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act({ action: 'set-kind', kind: $('kind-select').value });
  });
  $('add-task-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act({ action: 'add-task', title: $('add-task-title').value, phase: $('add-task-phase').value, role: $('add-task-role').value, blocksClose: $('add-task-blocks').checked });
  });
  pages.wire(renderList);
  taskPages.wire(renderMyTasks);
  $('decision-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const override = $('decision-override').value.trim();
    act({ action: 'propose-decision', regime: $('decision-regime').value, notify: $('decision-notify').value === 'yes', rationale: $('decision-why').value, ...(override ? { overrideReason: override } : {}) });
  });
  window.addEventListener('hashchange', route);
  try {
    config = await fetch('/dashboard/config.json').then((r) => r.json());
    if (config.auth === 'cognito') await finishCognitoSignIn();
  } catch (error) {
    showError(error);
  }
  route();
});
