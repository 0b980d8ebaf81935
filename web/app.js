// rowback review page: plain ES module, no build step. Every value from the server is put into
// the page with textContent (never innerHTML), so recovered data cannot inject markup.

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};
const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

const state = {
  token: sessionStorage.getItem('rowback.token'),
  me: null,
  jobs: [],
  jobId: null,
  filter: {},
  cursors: [null],
  page: 0,
  next: null,
  total: 0,
  rows: [],
  selected: new Set(),
  poll: null,
};

class ApiError extends Error {
  constructor(status, body) { super(body?.message ?? `HTTP ${status}`); this.status = status; this.body = body; }
}

async function api(path, opts = {}) {
  const headers = { authorization: `Bearer ${state.token}` };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    if (res.status === 401) signOut('Your token was refused (' + (body?.code ?? res.status) + ').');
    throw new ApiError(res.status, body);
  }
  return body;
}

// ------------------------------------------------------------------ sign in

async function signIn(token) {
  state.token = token;
  try {
    state.me = await api('/api/me');
  } catch (e) {
    state.token = null;
    $('login-error').textContent = e.body?.code === 'AUTH_RATE_LIMITED' ? 'Too many failed attempts; wait a minute.' : 'That token was not accepted.';
    return false;
  }
  sessionStorage.setItem('rowback.token', token);
  $('who-name').textContent = state.me.name;
  $('who-role').textContent = state.me.role;
  $('who').hidden = false;
  $('login').hidden = true;
  $('main').hidden = false;
  document.body.dataset.role = state.me.role;
  for (const id of ['approve-selected', 'reject-selected', 'approve-filter', 'reject-filter']) $(id).disabled = state.me.role !== 'reviewer';
  $('dry-run').disabled = state.me.role === 'viewer';
  await loadJobs();
  if (!state.poll) state.poll = setInterval(() => loadJobs().catch(() => {}), 2000);
  return true;
}

function signOut(message = '') {
  sessionStorage.removeItem('rowback.token');
  state.token = null;
  clearInterval(state.poll);
  state.poll = null;
  $('main').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

// ------------------------------------------------------------------ jobs

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];
function fmtBytes(n) {
  let u = 0;
  while (n >= 1024 && u < UNITS.length - 1) { n /= 1024; u++; }
  return `${u === 0 || n >= 10 ? Math.round(n) : n.toFixed(1)} ${UNITS[u]}`;
}

// The source's own progress (sampled by the worker): "pass 2/2 · 812 MB of 1.2 GB log read · 3,402,118 records".
function scanText(s) {
  if (!s) return '';
  const parts = [];
  if (s.pass && s.passes) parts.push(`pass ${s.pass}/${s.passes}`);
  if (s.bytesTotal) parts.push(`${fmtBytes(s.bytesRead)} of ${fmtBytes(s.bytesTotal)} log read`);
  else if (s.bytesRead) parts.push(`${fmtBytes(s.bytesRead)} log read`);
  parts.push(`${s.recordsRead.toLocaleString()} records`);
  return parts.join(' · ');
}

// Fraction of the whole scan done (every pass reads the same bytes), or null when no total is known.
function scanFraction(s) {
  if (!s || !s.bytesTotal) return null;
  const inPass = Math.min(1, s.bytesRead / s.bytesTotal);
  return s.pass && s.passes ? Math.min(1, (s.pass - 1 + inPass) / s.passes) : inPass;
}

async function loadJobs() {
  const { items } = await api('/api/jobs');
  state.jobs = items;
  const ul = $('job-list');
  ul.replaceChildren(...items.map((j) => {
    // a running scan with a known total gets a determinate bar; otherwise running jobs get a
    // striped (indeterminate) bar
    const frac = j.state === 'running' ? scanFraction(j.scan) : null;
    const bar = el('div', { class: `bar ${j.state}${frac === null ? '' : ' determinate'}` }, el('span'));
    bar.firstChild.style.width = frac !== null ? `${Math.round(frac * 100)}%` : j.state === 'succeeded' || j.state === 'running' ? '100%' : '0%';
    const scan = scanText(j.scan);
    const li = el('li', { 'data-job': String(j.id), class: j.id === state.jobId ? 'active' : '', onclick: () => openJob(j.id) },
      el('div', { class: 'jt' }, `#${j.id} ${j.kind} `, el('span', { class: `state ${j.state}`, text: j.state })),
      el('div', { class: 'jd', text: j.description, title: j.description }),
      el('div', { class: 'jd', text: `${j.rowsStaged.toLocaleString()} rows staged · ${j.skippedCount} skipped` }),
      ...(scan ? [el('div', { class: 'jd scan', text: scan, title: scan })] : []),
      bar);
    return li;
  }));
  if (state.jobId) {
    const j = items.find((x) => x.id === state.jobId);
    if (j) showProgress(j);
  } else if (items.length) {
    await openJob(items[0].id);
  }
}

function showProgress(j) {
  $('job-title').textContent = `Job #${j.id} — ${j.description}`;
  const window = [j.windowFrom, j.windowTo].filter(Boolean).join(' → ');
  const scan = j.state === 'running' && j.scan ? ' · ' + scanText(j.scan) : '';
  $('job-progress').textContent = `${j.state} · ${j.rowsStaged.toLocaleString()} rows staged · ${j.skippedCount} skipped${scan}${window ? ' · window ' + window : ''}${j.lastLsn ? ' · last LSN ' + j.lastLsn : ''}`;
}

async function openJob(id) {
  state.jobId = id;
  for (const li of $('job-list').children) li.classList.toggle('active', li.dataset.job === String(id));
  $('job').hidden = false;
  const j = state.jobs.find((x) => x.id === id);
  if (j) showProgress(j);
  $('detail').hidden = true;
  $('script').textContent = '';
  $('undo-script').textContent = '';
  const blast = await api(`/api/jobs/${id}/blast-radius`);
  const sel = $('f-table');
  sel.replaceChildren(el('option', { value: '', text: 'all' }), ...blast.byTable.map((t) => el('option', { value: t.table, text: `${t.table} (${t.rows})` })));
  renderBlast(blast);
  await resetPaging();
}

// ------------------------------------------------------------------ rows grid (keyset paging)

function readFilter() {
  const f = {};
  for (const k of ['table', 'login', 'status', 'from', 'to', 'q']) {
    const v = $(`f-${k}`).value.trim();
    if (v) f[k] = k === 'from' || k === 'to' ? v.replace(' ', 'T') : v;
  }
  return f;
}

async function resetPaging() {
  state.filter = readFilter();
  state.cursors = [null];
  state.page = 0;
  await loadPage();
}

async function loadPage() {
  const qs = new URLSearchParams({ ...state.filter, limit: '50' });
  const cursor = state.cursors[state.page];
  if (cursor) qs.set('cursor', cursor);
  else qs.set('count', 'true'); // the total once per filter, on its first page
  const page = await api(`/api/jobs/${state.jobId}/rows?${qs}`);
  if (page.total !== undefined) state.total = page.total;
  state.rows = page.items;
  state.next = page.next;
  state.selected.clear();
  $('select-page').checked = false;
  $('grid-body').replaceChildren(...page.items.map(rowTr));
  $('next-page').disabled = !page.next;
  $('first-page').disabled = state.page === 0;
  $('page-info').textContent = page.items.length
    ? `page ${state.page + 1} of ${Math.max(1, Math.ceil(state.total / 50)).toLocaleString()} · ${state.total.toLocaleString()} matching rows · #${page.items[0].id}–#${page.items[page.items.length - 1].id}`
    : 'no rows match';
}

function summary(values) {
  return Object.entries(values).map(([k, v]) => `${k}=${v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
}

function rowTr(r) {
  const box = el('input', { type: 'checkbox', 'aria-label': `select row ${r.id}`, 'data-row': String(r.id) });
  box.addEventListener('click', (ev) => {
    ev.stopPropagation();
    if (box.checked) state.selected.add(r.id); else state.selected.delete(r.id);
  });
  const text = summary(r.values);
  return el('tr', { 'data-row': String(r.id), onclick: () => openRow(r.id) },
    el('td', {}, box), el('td', { text: String(r.id) }), el('td', { text: r.table }), el('td', { text: r.lsn }),
    el('td', { text: r.beginTime ?? '' }), el('td', { text: r.login ?? '' }),
    el('td', {}, el('span', { class: `st ${r.status}`, text: r.status })),
    el('td', { class: 'vals', text, title: text }));
}

function hexDump(hex) {
  const lines = [];
  for (let i = 0; i < hex.length; i += 32) {
    const chunk = hex.slice(i, i + 32);
    const groups = chunk.match(/.{1,8}/g).join(' ');
    lines.push(`${(i / 2).toString(16).padStart(4, '0')}  ${groups}`);
  }
  return lines.join('\n');
}

async function openRow(rowId) {
  const r = await api(`/api/jobs/${state.jobId}/rows/${rowId}`);
  $('detail-title').textContent = `Row #${r.id} · ${r.table} · ${r.status}`;
  $('detail-values').replaceChildren(...Object.entries(r.values).map(([k, v]) =>
    el('tr', {}, el('td', { text: k }), el('td', { class: v === null ? 'null' : '', text: v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v) }))));
  const meta = { LSN: r.lsn, operation: r.operation, transaction: r.transactionId, 'transaction name': r.transactionName, login: r.login, SPID: r.spid, 'begin time': r.beginTime, 'end time': r.endTime, page: r.meta?.pageId, slot: r.meta?.slotId, source: r.meta?.source?.kind };
  $('detail-meta').replaceChildren(...Object.entries(meta).map(([k, v]) => el('tr', {}, el('td', { text: k }), el('td', { text: v === null || v === undefined ? '—' : String(v) }))));
  $('detail-raw').textContent = `${r.raw.length / 2} bytes\n${hexDump(r.raw)}`;
  const notes = [
    ...r.warnings.map((w) => `warning: ${w}`),
    ...r.decisions.map((d) => `${d.decision} by ${d.actor} at ${d.decidedAt}: ${d.reason}`),
    ...r.reinsert.map((o) => `re-insert run ${o.runId}: ${o.outcome}${o.detail?.existing ? ' — existing row ' + JSON.stringify(o.detail.existing) : ''}`),
  ];
  $('detail-notes').replaceChildren(...(notes.length ? notes : ['none']).map((n) => el('li', { text: n })));
  $('detail').hidden = false;
}

// ------------------------------------------------------------------ decisions

async function decide(decision, by) {
  const reason = $('reason').value.trim();
  const msg = $('decision-msg');
  if (reason.length < 3) { msg.textContent = 'Give a reason (at least 3 characters).'; msg.classList.add('error'); return; }
  msg.classList.remove('error');
  const body = { decision, reason };
  if (by === 'ids') {
    if (!state.selected.size) { msg.textContent = 'Select rows first.'; msg.classList.add('error'); return; }
    body.ids = [...state.selected];
  } else {
    body.filter = state.filter;
  }
  try {
    const r = await api(`/api/jobs/${state.jobId}/decisions`, { method: 'POST', body });
    msg.textContent = 'Saved; refreshing…';
    await loadPage();
    renderBlast(await api(`/api/jobs/${state.jobId}/blast-radius`));
    // the confirmation appears once the grid shows the new statuses
    msg.textContent = `${decision === 'approve' ? 'Approved' : 'Rejected'} ${r.rows} row(s) (decision #${r.decisionId}).`;
  } catch (e) {
    msg.textContent = `${e.body?.code ?? 'ERROR'}: ${e.message}`;
    msg.classList.add('error');
  }
}

// ------------------------------------------------------------------ blast radius

function renderBlast(b) {
  const byStatus = b.byStatus.map((s) => `${s.rows} ${s.status}`).join(' · ');
  $('blast-total').textContent = `${b.total.toLocaleString()} rows in ${b.byTable.length} table(s), ${b.byTransaction.length} transaction(s)${byStatus ? ' — ' + byStatus : ''}`;
  const kv = (rows, cols) => [el('tr', {}, ...cols.map((c) => el('th', { text: c[0] }))), ...rows.map((r) => el('tr', {}, ...cols.map((c) => el('td', { text: String(r[c[1]] ?? '—') }))))];
  $('blast-tables').replaceChildren(...kv(b.byTable, [['table', 'table'], ['rows', 'rows']]));
  $('blast-logins').replaceChildren(...kv(b.byLogin, [['login', 'login'], ['rows', 'rows']]));
  $('blast-txns').replaceChildren(...kv(b.byTransaction.slice(0, 50), [['transaction', 'transactionId'], ['begin', 'beginTime'], ['login', 'login'], ['rows', 'rows']]));
  // bar chart: rows per minute, inline SVG
  const data = b.byMinute;
  const W = 800, H = 200, pad = 28;
  const s = svg('svg', { viewBox: `0 0 ${W} ${H + 30}`, role: 'img', 'aria-label': 'rows per minute' });
  const max = Math.max(1, ...data.map((d) => d.rows));
  const bw = data.length ? (W - pad) / data.length : 0;
  s.append(svg('line', { x1: pad, y1: H, x2: W, y2: H, stroke: '#98a2b3' }));
  const maxLabel = svg('text', { x: 0, y: 10 }); maxLabel.textContent = String(max); s.append(maxLabel);
  data.forEach((d, i) => {
    const h = Math.max(1, (d.rows / max) * (H - 10));
    const rect = svg('rect', { class: 'b', x: pad + i * bw + 2, y: H - h, width: Math.max(1, bw - 4), height: h });
    const t = svg('title'); t.textContent = `${d.minute}: ${d.rows} rows`; rect.append(t);
    s.append(rect);
    if (data.length <= 24 || i % Math.ceil(data.length / 12) === 0) {
      const label = svg('text', { x: pad + i * bw + bw / 2, y: H + 14, 'text-anchor': 'middle' });
      label.textContent = d.minute.slice(11);
      s.append(label);
    }
  });
  $('blast-chart').replaceChildren(s);
}

// ------------------------------------------------------------------ dry run, audit, tabs

async function dryRun() {
  $('dry-run-msg').textContent = 'generating…';
  try {
    const r = await api(`/api/jobs/${state.jobId}/reinsert`, { method: 'POST', body: { dryRun: true } });
    $('script').textContent = r.script;
    $('undo-script').textContent = r.undoScript;
    $('dry-run-msg').textContent = `run #${r.run.id}: ${r.run.summary.rows} row(s) in ${r.run.summary.batches} batch(es)${r.problems.length ? `, ${r.problems.length} row(s) cannot go back (see the script header)` : ''}`;
  } catch (e) {
    $('dry-run-msg').textContent = `${e.body?.code ?? 'ERROR'}: ${e.message}`;
  }
}

async function loadAudit() {
  const { items } = await api(`/api/audit?jobId=${state.jobId}&limit=500`);
  $('audit').replaceChildren(el('tr', {}, ...['#', 'when', 'who', 'what', 'details'].map((h) => el('th', { text: h }))),
    ...items.map((a) => el('tr', {}, el('td', { text: String(a.id) }), el('td', { text: a.at }), el('td', { text: a.actor }), el('td', { text: a.action }), el('td', { class: 'vals', text: JSON.stringify(a.details) }))));
}

function showTab(name) {
  for (const b of document.querySelectorAll('.tab')) b.classList.toggle('active', b.dataset.tab === name);
  for (const p of document.querySelectorAll('.tab-panel')) p.hidden = p.id !== `tab-${name}`;
  if (name === 'audit') loadAudit().catch(() => {});
}

// ------------------------------------------------------------------ wiring

$('login-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('token').value.trim()); });
$('logout').addEventListener('click', () => signOut());
$('filters').addEventListener('submit', (ev) => { ev.preventDefault(); resetPaging(); });
$('next-page').addEventListener('click', () => { if (!state.next) return; state.cursors[state.page + 1] = state.next; state.page++; loadPage(); });
$('first-page').addEventListener('click', () => { state.page = 0; loadPage(); });
$('select-page').addEventListener('change', (ev) => {
  for (const box of $('grid-body').querySelectorAll('input[type=checkbox]')) {
    box.checked = ev.target.checked;
    const id = Number(box.dataset.row);
    if (box.checked) state.selected.add(id); else state.selected.delete(id);
  }
});
$('approve-selected').addEventListener('click', () => decide('approve', 'ids'));
$('reject-selected').addEventListener('click', () => decide('reject', 'ids'));
$('approve-filter').addEventListener('click', () => decide('approve', 'filter'));
$('reject-filter').addEventListener('click', () => decide('reject', 'filter'));
$('detail-close').addEventListener('click', () => { $('detail').hidden = true; });
$('dry-run').addEventListener('click', dryRun);
for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => showTab(b.dataset.tab));

if (state.token) signIn(state.token).then((ok) => { if (!ok) signOut(); });
else signOut();
