// rowback review page: plain ES module, no build step. Every value from the server is put into
// the page with textContent (never innerHTML), so recovered data cannot inject markup.

const $ = (id) => document.getElementById(id);
/**
 * A `tag` element with `props` (class, text, on<event>, attributes) and `kids` (nodes or strings;
 * an array among them is appended item by item). A list whose length a value sets (visibleText's
 * pieces of a value: one per marked character, so a varchar(max) of 70,000 CRLF lines gives
 * 210,000) goes in as one array argument, never spread (`el('td', {}, ...pieces)`): V8 throws
 * RangeError past ~120,000 arguments, and the grid or the row detail was left showing the rows
 * before (test/e2e/review-value-many-marks.test.ts).
 */
const el = (tag, props = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) {
    if (Array.isArray(k)) for (const x of k) e.append(x);
    else e.append(k);
  }
  return e;
};
/**
 * Puts `nodes` (an array or iterable of nodes, however many) in place of `parent`'s children. A
 * list whose length the job sets (a blast radius's minutes and logins, a run's batches, audit
 * entries, NOT SCRIPTED rows) must not be spread into one call (`replaceChildren(...nodes)`,
 * `Math.max(...counts)`): V8 takes about 120,000 arguments and throws RangeError past that, which
 * stopped a job of 130,000 minutes from opening (no grid, no word;
 * test/e2e/review-blast-long-span.test.ts).
 */
function replaceWith(parent, nodes) {
  const f = document.createDocumentFragment();
  for (const n of nodes) f.append(n);
  parent.replaceChildren(f);
}
/**
 * Makes `e` (a job in the list, a grid row, a run) reachable and usable by keyboard: in the tab
 * order, Enter or Space doing what a click does; with a `label`, a button of that name to assistive
 * technology (a table row keeps its role: its cells are what it says). Those three were click-only:
 * a reviewer without a mouse could open no job but the newest (opened at sign-in), no row's detail
 * (values, raw bytes, warnings) and no run.
 */
function activatable(e, label, fn) {
  e.tabIndex = 0;
  if (label) {
    e.setAttribute('role', 'button');
    e.setAttribute('aria-label', label);
  }
  e.addEventListener('click', fn);
  e.addEventListener('keydown', (ev) => {
    // a checkbox or button inside (a grid row's select box) keeps its own keys
    if (ev.target !== e || (ev.key !== 'Enter' && ev.key !== ' ')) return;
    ev.preventDefault();
    fn();
  });
  return e;
}

/** The `data-<key>` of the focused element when it is inside `box` (to focus its replacement after a re-render). */
function focusedData(box, key) {
  const a = document.activeElement;
  return a && box.contains(a) ? a.dataset?.[key] ?? null : null;
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/** The decide buttons: greyed while a decision is in flight (decide), else by role (a reviewer's). */
const DECIDE_BUTTONS = ['approve-selected', 'reject-selected', 'approve-filter', 'reject-filter'];

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
  // asOf tokens of the last page read and of the last count (loadPage)
  pageAsOf: null,
  countAsOf: null,
  // a decision in flight (decide): the decide buttons are greyed until its answer is on the line
  deciding: false,
  unplaced: null,
  rows: [],
  selected: new Set(),
  poll: null,
  info: null,
  tables: new Map(), // job's table → column names in table order (the grid's value columns)
  lastDryRun: null, // { runId, rows, targetName } of the newest dry run shown
  dryRunLine: null, // the id of the dry run the Re-insert tab's line describes (sayDryRun), or null
  runPoll: null,
  earlierDryRun: null, // the id of an earlier dry run whose script and undo script the script panel shows (showDryRunScript)
  scriptAsk: 0, // the newest script panel request: an older answer does not replace a newer one
  shownRun: null, // the run the run panel shows (GET /api/reinsert-runs/:id), for its Resume
  scriptText: { script: null, undo: null }, // what the script panel shows of each text (showScriptText)
};

// ------------------------------------------------------------------ time: one zone, labelled
// Log times (Begin/End Time) are the SQL Server's own clock, shown as written. rowback's own
// timestamps (audit, decisions, batches: ISO UTC) are shown in the server's configured zone,
// the same clock when serve's timeZone is set to the SQL Server's zone.
function fmtInstant(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const tz = state.info?.timeZone ?? 'UTC';
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
function fmtLogTime(t) { return t ? t.replace('T', ' ') : ''; }
function offsetText(min) {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

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
    if (res.status === 401) signOut(refusedText(body, res.status));
    throw new ApiError(res.status, body);
  }
  return body;
}

/**
 * Why a signed-in page was signed out (a 401 while it worked): the token, good until then, was
 * revoked, or the service restarted on another staging file. It said 'Your token was refused
 * (AUTH_INVALID).' alone: not why a token that had worked a moment ago failed, nor what to do.
 */
function refusedText(body, status) {
  const code = body?.code ?? status;
  if (code !== 'AUTH_INVALID') return `Your token was refused (${code}).`;
  return 'Your token was refused (AUTH_INVALID): it was revoked (rowback token revoke), or this service now runs on another staging file. '
    + 'Nothing was sent with it since; a reason or filter you had typed is not kept. Sign in with a valid token (rowback token create NAME --role ROLE --db FILE makes one).';
}

// ------------------------------------------------------------------ sign in

/**
 * Why signing in failed, as the sign-in form says it. `reload`: the token was the one this tab kept
 * (a reload), not one just typed. A reload with a revoked token showed a blank sign-in form, and a
 * service not answering (restarting) was called a token not accepted.
 */
function signInRefusal(e, reload) {
  if (!(e instanceof ApiError)) return `The rowback service could not be reached (${e?.message ?? e}): the token was not checked. Sign in again once it answers.`;
  const code = e.body?.code;
  if (code === 'AUTH_RATE_LIMITED') return 'Too many failed attempts; wait a minute.';
  if (e.status !== 401) return `The rowback service answered ${e.status}${code ? ` (${code})` : ''}${e.body?.message ? `: ${e.body.message}` : ''}; the token was not checked. Try again.`;
  if (reload && code === 'AUTH_INVALID') return 'The token this tab was signed in with was refused (AUTH_INVALID): it was revoked (rowback token revoke), or this service now runs on another staging file. Sign in with a valid token (rowback token create NAME --role ROLE --db FILE makes one).';
  // AUTH_INVALID's message says why a freshly made token fails (made on another staging file)
  return `That token was not accepted${code === 'AUTH_INVALID' && e.body.message ? `: ${e.body.message}` : '.'}`;
}

async function signIn(token, { reload = false } = {}) {
  state.token = token;
  try {
    state.me = await api('/api/me');
  } catch (e) {
    state.token = null;
    $('login-error').textContent = signInRefusal(e, reload);
    return false;
  }
  sessionStorage.setItem('rowback.token', token);
  $('who-name').textContent = state.me.name;
  $('who-role').textContent = state.me.role;
  $('who').hidden = false;
  $('login').hidden = true;
  $('main').hidden = false;
  document.body.dataset.role = state.me.role;
  // greyed out with the reason said: a viewer or operator saw the decide buttons dead, and no why
  const decideWhy = state.me.role === 'reviewer' ? '' : `Only a reviewer decides rows; you are signed in as ${state.me.role}. A reviewer's token is made with: rowback token create NAME --role reviewer`;
  for (const id of DECIDE_BUTTONS) {
    $(id).disabled = state.me.role !== 'reviewer';
    $(id).title = decideWhy;
  }
  $('decide-role').hidden = !decideWhy;
  $('decide-role').textContent = decideWhy ? `Deciding rows needs a reviewer's token (you are ${state.me.role}).` : '';
  $('dry-run').disabled = state.me.role === 'viewer';
  $('dry-run').title = state.me.role === 'viewer' ? 'A viewer only reads; a reviewer or an operator plans re-insert scripts' : '';
  for (const e of document.querySelectorAll('.op-only')) e.hidden = state.me.role !== 'operator';
  state.info = await api('/api/info');
  // two clocks on one page: rowback's own (audit, decisions, runs) and the log's (the SQL Server's
  // local time, no zone stored); "times: UTC" alone read as the rows' Begin Times being UTC
  $('tz').textContent = `times: ${state.info.timeZone} (${offsetText(state.info.utcOffsetMinutes)}) · log times: the SQL Server's local time`;
  $('tz').title = `rowback's own times (audit, decisions, re-insert batches) are shown in ${state.info.timeZone}; ${state.info.logTimes}`;
  $('target').replaceChildren(el('option', { value: '', text: 'none (script only)' }),
    ...state.info.targets.map((t) => el('option', { value: t.name, text: `${t.name} — ${[t.server, t.database].filter(Boolean).join(' / ') || (t.server === undefined ? 'server shown to operators' : 'no server named')}${t.ready ? '' : ' (not ready: its variable is unset)'}`, ...(t.ready ? {} : { disabled: 'disabled' }) })));
  await loadJobs();
  if (!state.poll) state.poll = setInterval(() => loadJobs().catch(() => {}), 2000);
  return true;
}

function signOut(message = '') {
  sessionStorage.removeItem('rowback.token');
  sessionStorage.removeItem('rowback.view');
  state.token = null;
  // an opening, a page or a row's detail on its way is the last person's: its answers are dropped,
  // and the next sign-in opens its job anew (openJob, loadPage, openRow)
  state.opening = null;
  state.openings = (state.openings ?? 0) + 1;
  state.pageAsked = (state.pageAsked ?? 0) + 1;
  state.rowAsked = (state.rowAsked ?? 0) + 1;
  // what the last person had open and typed is not the next one's: the filter form kept its values,
  // so the job opened after signing in again was shown (and "all matching" decided) through them
  $('filters').reset();
  $('reason').value = '';
  $('filter-msg').textContent = '';
  $('decision-msg').textContent = '';
  state.jobId = null;
  state.restoreTable = null;
  state.selected?.clear();
  $('grid-body').replaceChildren();
  $('page-info').textContent = '';
  $('job').hidden = true;
  clearInterval(state.poll);
  state.poll = null;
  $('main').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

// ------------------------------------------------------------------ jobs

// binary units: the divisor is 1024 (they read KB, MB, GB: a 1,300,000,000-byte log said '1.2 GB')
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
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
  const { items, next } = await api('/api/jobs');
  state.jobs = items;
  const ul = $('job-list');
  // the newest jobs only: said at the list's end, or the older ones read as never having been
  const older = next === null || next === undefined ? [] : [el('li', { class: 'older-jobs', text: `only the newest ${items.length} jobs are listed; older ones (ids below #${next}) are reached through the API (GET /api/jobs?before=${next})` })];
  // the list is drawn anew every 2 s: a job focused by keyboard stays focused
  const focusedJob = focusedData(ul, 'job');
  ul.replaceChildren(...items.map((j) => {
    // a running scan with a known total gets a determinate bar; otherwise running jobs get a
    // striped (indeterminate) bar
    const frac = j.state === 'running' ? scanFraction(j.scan) : null;
    const bar = el('div', { class: `bar ${j.state}${frac === null ? '' : ' determinate'}` }, el('span'));
    bar.firstChild.style.width = frac !== null ? `${Math.round(frac * 100)}%` : j.state === 'succeeded' || j.state === 'running' ? '100%' : '0%';
    const scan = scanText(j.scan);
    // a job whose result is not whole (scan's INCOMPLETE) is not a green SUCCEEDED in the list:
    // only its detail view said so
    const incomplete = j.complete === false;
    // …nor one whose result is doubtful (WARNING/UNCHECKED sentences, rows decoded with warnings)
    const doubt = !incomplete && doubtText(j);
    const badge = el('span', { class: `state ${j.state}${incomplete ? ' incomplete' : doubt ? ' doubtful' : ''}`, text: incomplete ? `${j.state} · INCOMPLETE` : doubt ? `${j.state} · WARNINGS` : j.state,
      ...(incomplete ? { title: (j.incomplete ?? []).join(' ') } : doubt ? { title: doubt } : {}) });
    const li = activatable(el('li', { 'data-job': String(j.id), class: j.id === state.jobId ? 'active' : '', ...(j.id === state.jobId ? { 'aria-current': 'true' } : {}) },
      el('div', { class: 'jt' }, `#${j.id} ${j.kind} `, badge),
      el('div', { class: 'jd', text: j.description, title: j.description }),
      el('div', { class: 'jd', text: `${j.rowsStaged.toLocaleString()} rows staged · ${j.skippedCount.toLocaleString()} skipped` }),
      ...(opsText(j) ? [el('div', { class: 'jd ops', text: opsText(j), title: 'the operations the staged rows were recovered from: inserted rows and updates\' before-images are not deleted rows' })] : []),
      ...(scan ? [el('div', { class: 'jd scan', text: scan, title: scan })] : []),
      bar), `open job #${j.id} ${j.kind}, ${incomplete ? `${j.state}, INCOMPLETE` : doubt ? `${j.state}, with warnings` : j.state}, ${j.rowsStaged.toLocaleString()} rows staged`, () => openJob(j.id));
    return li;
  }), ...older);
  if (focusedJob) ul.querySelector(`li[data-job="${focusedJob}"]`)?.focus();
  if (state.jobId) {
    const j = items.find((x) => x.id === state.jobId);
    if (j) showProgress(j);
    // a job that just finished: its notes and rows are there now
    if (j && state.shownState && state.shownState !== j.state && !['queued', 'running'].includes(j.state)) {
      loadNotes(j.id).catch(() => {});
      refreshBlast(j.id).catch(() => {});
      if (state.filter !== undefined) resetPaging().catch(() => {});
    }
    state.shownState = j?.state;
  } else if (items.length && $('create').hidden) {
    // a reload (or a sign-in again in this tab) goes back to the job and filter the reviewer had
    // applied: it opened the newest job with no filter, and "Approve all matching" then meant
    // another job's rows than the ones the reviewer was working through
    const view = savedView();
    const back = view && items.find((x) => x.id === view.jobId);
    if (back) restoreFilterFields(view.filter);
    await openJob(back ? back.id : items[0].id);
  }
}

// The rows of a job per operation ("4 deleted · 2 inserted · 1 update before-image"): a job of
// operations delete,insert,update showed one count, and its inserts read as deleted rows. Empty for a
// job of deletes alone. "from inserts", not "inserted": beside "rows staged" a restore job's
// "12 inserted" read as 12 rows put back, the word the re-insert runs use (newcomer).
const OP_WORDS = { delete: 'from deletes', insert: 'from inserts', update: 'update before-image(s)' };
function opCountsText(c) {
  return ['delete', 'insert', 'update'].filter((o) => c[o]).map((o) => `${c[o].toLocaleString()} ${OP_WORDS[o]}`).join(' · ');
}
// Whether a row's warning is doubt, not one of the lines a comparison's row (restore job, diff --stage)
// says where it came from with: src/recover/recovered-row.ts isDoubtWarning, ROW_PROVENANCE (the same texts)
function isDoubtWarning(w) {
  if (w === 'missing from the later state (rowback diff)' || w.startsWith('changed in the later state: ')) return false;
  return !w.startsWith('earlier state: ');
}
// Whether a job's result is doubtful, in words ("2 warning(s) in its notes · 3 row(s) with warnings"):
// '' when nothing is, or not known (JobRecord.warnings / rowsWithWarnings)
function doubtText(j) {
  const w = j.warnings?.length ?? 0;
  const r = j.rowsWithWarnings ?? 0;
  return [w ? `${w} warning(s) in its notes` : '', r ? `${r.toLocaleString()} row(s) with warnings: a value may be wrong or missing` : ''].filter(Boolean).join(' · ');
}
function opsText(j) {
  const c = j.rowsByOperation;
  if (!c || (!c.insert && !c.update)) return (j.operations ?? []).some((o) => o !== 'delete') && c?.delete ? `all ${c.delete.toLocaleString()} from deletes` : '';
  return opCountsText(c);
}

/**
 * What the rows staged are of a job that has not run to its end (queued or running, cancelled,
 * interrupted, failed): only part of its result, and the way on; null for a job that ended (or
 * staged nothing and stopped: nothing to decide).
 */
function notEndedText(j) {
  const n = `${j.rowsStaged.toLocaleString()} row(s)`;
  if (j.state === 'queued' && j.rowsStaged === 0) return 'This job is queued: it has not begun reading; its rows show here as it stages them.';
  if (j.state === 'queued' || j.state === 'running') {
    return `This job is ${j.state === 'queued' ? 'queued' : 'still running'}: the ${n} staged so far are only part of its result, and whether it is whole is known when it ends; wait for it before deciding all matching rows or re-inserting.`;
  }
  if (j.rowsStaged === 0) return null;
  const resume = state.me?.role === 'operator' ? 'Resume job reads the rest' : 'an operator\'s Resume reads the rest';
  if (j.state === 'cancelled') return `This job was cancelled: the ${n} staged are only what it read before it stopped, not its whole result; ${resume} (rows staged are not staged twice).`;
  if (j.state === 'interrupted' || j.state === 'resumable') return `This job was interrupted (the service stopped): the ${n} staged are only what it read before, not its whole result; ${resume} (rows staged are not staged twice).`;
  if (j.state === 'failed') return `The ${n} staged are only what it read before it failed, not its whole result.`;
  return null;
}

function showProgress(j) {
  followSkipped(j);
  $('job-title').textContent = `Job #${j.id} — ${j.description}`;
  $('job-title').title = j.description;
  const op = state.me?.role === 'operator';
  $('job-cancel').hidden = !op || !(j.state === 'running' || j.state === 'queued');
  $('job-resume').hidden = !op || !['failed', 'interrupted', 'resumable', 'cancelled'].includes(j.state);
  const err = $('job-error');
  const partial = notEndedText(j);
  if (j.state === 'failed' && j.error) {
    // a viewer or reviewer is given the code alone (api/routes/jobs.ts forCaller: the message is
    // "the job failed (CODE); an operator can see the details"): it read "This job failed: CODE — the
    // job failed (CODE); …", the code twice
    const withheld = j.error.message === `the job failed (${j.error.code}); an operator can see the details`;
    const why = withheld ? `${j.error.code}; an operator can see the details` : `${j.error.code} — ${j.error.message}`;
    err.textContent = `This job failed: ${why}${partial ? `${/[.!?]$/.test(why) ? '' : '.'} ${partial}` : ''}`;
    err.hidden = false;
  } else if (partial) {
    // rows staged by a job that runs, or stopped before its end, are part of its result: the page
    // said nothing of it above the grid (a cancelled job of 500 rows read as a job of 500 rows)
    err.textContent = partial;
    err.hidden = false;
  } else if (j.complete === false) {
    // the result is not whole (as scan's INCOMPLETE): said above the grid, not only in the notes
    err.textContent = j.incomplete.join(' ');
    err.hidden = false;
  } else if (doubtText(j)) {
    // doubtful (as scan's WARNING/UNCHECKED and rows with warnings): said above the grid as well
    err.textContent = `This job's result is doubtful: ${doubtText(j)}. Read the notes and each row's warnings before approving.`;
    err.hidden = false;
  } else {
    err.hidden = true;
  }
  // each end named: a window of only a `to` read "window 2018-08-29", as one of only a `from` did;
  // the times are the SQL Server's local time, as the job's from/to were typed (a day alone is all of it)
  const window = j.windowFrom && j.windowTo ? `${j.windowFrom} → ${j.windowTo}` : j.windowFrom ? `from ${j.windowFrom}` : j.windowTo ? `to ${j.windowTo}` : '';
  const scan = j.state === 'running' && j.scan ? ' · ' + scanText(j.scan) : '';
  const ops = opsText(j);
  // the database the rows were read from (re-insert compares it with the target's)
  // a job that has read its source and recorded none (staged before rowback recorded it, or a source
  // stating neither): said, as re-insert says it, not left out as if there were nothing to know
  // Any job that has ended (failed, cancelled, interrupted too: their staged rows can be approved and
  // re-inserted), not only a succeeded one; a queued or running one may not have recorded it yet
  const ended = j.state !== 'queued' && j.state !== 'running';
  const src = j.sourceDatabase ? ` · read from database ${j.sourceDatabase.nameText ?? j.sourceDatabase.name ?? j.sourceDatabase.bindingId}` : ended ? ' · source database not known' : '';
  $('job-progress').textContent = `${j.state} · ${j.rowsStaged.toLocaleString()} rows staged${ops ? ` (${ops})` : ''} · ${j.skippedCount.toLocaleString()} skipped${scan}${window ? ` · window ${window} (SQL Server local time)` : ''}${j.lastLsn ? ' · last LSN ' + j.lastLsn : ''}${src}`;
  $('job-progress').title = j.sourceDatabase
    ? `source database: ${[j.sourceDatabase.name, j.sourceDatabase.bindingId && `binding id ${j.sourceDatabase.bindingId}`, j.sourceDatabase.familyGuid && `family GUID ${j.sourceDatabase.familyGuid}`].filter(Boolean).join(', ')}`
    : ended ? 'the database these rows were read from is not recorded: a re-insert cannot check that its target is that database; check it yourself' : '';
}

/** The job and applied filter kept for this tab (sessionStorage, as the token), or null. */
function savedView() {
  try {
    const v = JSON.parse(sessionStorage.getItem('rowback.view') ?? 'null');
    return v && Number.isInteger(v.jobId) && v.filter && typeof v.filter === 'object' ? v : null;
  } catch {
    return null;
  }
}

function saveView() {
  if (state.jobId) sessionStorage.setItem('rowback.view', JSON.stringify({ jobId: state.jobId, filter: state.filter }));
}

/** Puts a kept filter back into the form (the table once the job's tables are listed: showBlast). */
function restoreFilterFields(filter) {
  for (const k of ['table', 'login', 'sid', 'dbUser', 'operation', 'status', 'from', 'to', 'q']) {
    const v = typeof filter[k] === 'string' ? filter[k] : '';
    if (k === 'table') state.restoreTable = v;
    else $(`f-${k}`).value = v;
  }
}

/**
 * Opens job `id`: its progress, blast radius, rows, runs, notes and skipped items. Asked again for
 * the job whose opening is still on its way (the sign-in opens the newest job and the reader clicks
 * it meanwhile, or a double click), the same opening is awaited: it was read twice over, and the
 * second answer undid what the reader had done between the two (a box opened, a row shown).
 */
function openJob(id) {
  if (state.opening?.id === id && state.jobId === id) return state.opening.promise;
  // each opening has its number (state.openings): an earlier one whose answers come back after a
  // newer opening began stops there, even of the same job (job 1 clicked, then 2, then 1 again; or a
  // sign-out and sign-in while it was on its way), where `state.jobId === id` let it go on and its
  // late answers reset the paging, filter and table the reader had set in the newer one
  const seq = (state.openings = (state.openings ?? 0) + 1);
  const promise = openJobNow(id, seq).finally(() => { if (state.opening?.promise === promise) state.opening = null; });
  state.opening = { id, promise };
  return promise;
}

async function openJobNow(id, seq) {
  state.jobId = id;
  $('create').hidden = true;
  state.lastDryRun = null;
  state.dryRunAsked = undefined; // another job's dry run on its way is dropped by its job check
  state.earlierDryRun = null;
  offerRun(false);
  $('copy-script').disabled = true;
  $('download-script').disabled = true;
  $('download-undo').disabled = true;
  $('run-panel').hidden = true;
  state.shownRun = null;
  $('run-msg').textContent = '';
  $('job-action-msg').textContent = '';
  clearInterval(state.runPoll);
  for (const li of $('job-list').children) li.classList.toggle('active', li.dataset.job === String(id));
  $('job').hidden = false;
  const j = state.jobs.find((x) => x.id === id);
  if (j) showProgress(j);
  // the state its notes, rows and blast radius are loaded in: a job that ends before the next poll
  // is seen to end (the previous job's state was compared, and the end went unseen)
  state.shownState = j?.state;
  // a row's detail asked of the job shown before is not shown over this one (openRow)
  state.rowAsked = (state.rowAsked ?? 0) + 1;
  $('detail').hidden = true;
  showScriptText('script', null);
  showScriptText('undo', null);
  sayDryRun('');
  showNotScripted([]);
  showJobWarning(null);
  const blastTicket = askTicket('blast');
  const [blast, tables] = await Promise.all([api(`/api/jobs/${id}/blast-radius`), api(`/api/jobs/${id}/tables`)]);
  // another opening began meanwhile (another job, this one again, a sign-out): its blast radius, paging and filter are not undone
  if (state.jobId !== id || state.openings !== seq) return;
  state.tables = new Map(tables.items.map((t) => [t.table, t.columns.map((c) => c.name)]));
  // each column's type: a binary value and a text value that reads '0x…' are both strings in the API
  state.columnTypes = new Map(tables.items.map((t) => [t.table, new Map(t.columns.map((c) => [c.name, c.type]))]));
  // a blast radius of this job asked after this one and shown already (the job's scan ended meanwhile) stays
  if (newerThanShown('blast', blastTicket, id)) showBlast(blast);
  await resetPaging();
  if (state.openings !== seq) return;
  loadRuns().catch(() => {});
  loadNotes(id).catch(() => {});
}

/** The blast radius and the table filter's per-table counts (the table chosen is kept). */
function showBlast(blast) {
  const sel = $('f-table');
  const chosen = state.restoreTable ?? sel.value;
  state.restoreTable = undefined;
  replaceWith(sel, [el('option', { value: '', text: 'all' }), ...blast.byTable.map((t) => el('option', { value: t.table, text: t.byOperation && (t.byOperation.insert || t.byOperation.update) ? `${t.table} (${t.rows.toLocaleString()}: ${opCountsText(t.byOperation)})` : `${t.table} (${t.rows.toLocaleString()})` }))]);
  if ([...sel.options].some((o) => o.value === chosen)) sel.value = chosen;
  renderBlast(blast);
}

/**
 * Answers that replace what an earlier answer of the same kind showed (`blast`: the blast radius;
 * `notes`: the job's notes) in the order they were asked: each ask takes a ticket (askTicket), and
 * an answer is shown only when no answer asked after it was shown already (newerThanShown). The blast radius was asked when a job's scan ended (refreshBlast), by each
 * decision and at each opening; an answer held up on the way (a busy service) landed after a later
 * one and put the counts back: 4 pending shown over the 4 just approved.
 */
function askTicket(kind) {
  state.tickets ??= { asked: {}, shown: {} };
  state.tickets.asked[kind] = (state.tickets.asked[kind] ?? 0) + 1;
  return state.tickets.asked[kind];
}
/**
 * Whether the answer of ticket `n` (askTicket) for job `jobId` may be shown: no later-asked answer of
 * `kind` was shown for that job since; if so, records it as shown. An answer of another job shown
 * last (the reviewer went to job B and back) does not hold it back: it was, and job A's end-of-scan
 * blast radius landing after B's was dropped, B's counts left under job A when A's own opening failed.
 */
function newerThanShown(kind, n, jobId) {
  const last = state.tickets.shown[kind];
  if (last && last.jobId === jobId && last.n > n) return false;
  state.tickets.shown[kind] = { jobId, n };
  return true;
}

/**
 * The blast radius again, for the job still open: when its scan ends (opened while it ran, it kept
 * the counts of that moment) and when a re-insert run ends (its rows' statuses changed: the
 * per-status counts kept showing them approved).
 */
async function refreshBlast(id) {
  const ticket = askTicket('blast');
  const blast = await api(`/api/jobs/${id}/blast-radius`);
  if (state.jobId === id && newerThanShown('blast', ticket, id)) showBlast(blast);
}

// The job's notes (audit action job.notes): for a restore job the chain it replayed, rows redone
// and undone, and the comparison; for scans the source's remarks (inactive log, time zone, drift).
/**
 * Every audit entry of job `id` (of the actions `actions` when given), oldest first: page after
 * page (`next`) to the end. One page of 500 showed a job's oldest entries alone, and its later
 * decisions and runs were missing.
 */
async function auditOf(id, actions = null) {
  const items = [];
  for (let after = 0; ;) {
    // a page also ends at 32 Mi characters of details (a decision by ids keeps its ids): read on while `next` is set
    const page = await api(`/api/audit?jobId=${id}&limit=1000&after=${after}${actions ? `&action=${actions.join(',')}` : ''}`);
    for (const a of page.items) items.push(a);
    if (page.next === null || page.next === undefined || !page.items.length) return items;
    after = page.next;
  }
}

/**
 * The job's skipped items (GET /api/jobs/:id/skipped): what the scan passed over, each with its
 * code, why and where. The notes send the reader there ("see its skipped items", "among the job's
 * skipped items") and the job showed only their count: the page had no way to them. 200 a page,
 * Show more for the next. Open for an INCOMPLETE job, whose sentences name them.
 */
const SKIPPED_PAGE = 200;
async function loadSkipped(id, after = 0) {
  const job = state.jobs.find((j) => j.id === id);
  const total = job?.skippedCount ?? 0;
  // one list at a time: a Show more clicked twice before its answer, or the list asked again (the
  // job reopened, or ending) while the first answer was on its way, appended the same page twice
  // (400 items listed of 205, each torn block twice). The newest list's next page alone is appended.
  // the same job's list read again (the job opened again, or its scan ended): the box keeps the
  // reader's open or closed; it closed a box the reader had just opened (the sign-in opens the newest
  // job, a click on it opens it again, and the second list's answer shut the box under Show more)
  const again = after === 0 && state.skippedJob === id && !$('job-skipped-box').hidden;
  if (after === 0) { state.skippedList = (state.skippedList ?? 0) + 1; state.skippedJob = id; }
  else if (state.skippedAsked === after) return;
  const list = state.skippedList;
  state.skippedAsked = after;
  if (after === 0) {
    $('job-skipped').replaceChildren();
    $('job-skipped-box').hidden = total === 0;
    $('job-skipped-more').hidden = true;
    if (total === 0) return;
    // open for an INCOMPLETE job, whose sentences name them; for the same job again, as the reader
    // left it (a box the reader did not touch follows the job: a running job that ends INCOMPLETE opens)
    const open = job?.complete === false;
    if (!again || $('job-skipped-box').open === state.skippedOpenByDefault) $('job-skipped-box').open = open;
    state.skippedOpenByDefault = open;
  }
  let page;
  try {
    page = await api(`/api/jobs/${id}/skipped?limit=${SKIPPED_PAGE}&after=${after}`);
  } catch (e) {
    // asked again by the next click
    if (state.skippedAsked === after) state.skippedAsked = null;
    throw e;
  }
  if (state.jobId !== id || state.skippedList !== list) return;
  $('job-skipped').append(...page.items.map((s) => {
    // where, as the CLI's lines say it (file …, LSN …, offset …, …, table dbo.[Order Details], column
    // [Unit Price]): the answer's `where`, written by the service (api/skipped-where.ts), as text
    const where = typeof s.where === 'string' ? s.where : '';
    return el('li', { 'data-skipped': String(s.id) }, visibleText(`${s.code}: ${s.reason}${where ? ` (${where})` : ''}`));
  }));
  const shown = $('job-skipped').children.length;
  // the newest count known: a running job's list (followSkipped) may have counted more meanwhile
  const known = Math.max(total, state.jobs.find((j) => j.id === id)?.skippedCount ?? 0);
  skippedTitle(known, shown);
  $('job-skipped-more').hidden = (page.next === null || page.next === undefined) && shown >= known;
  const next = page.next ?? (shown ? Number($('job-skipped').lastElementChild.dataset.skipped) : 0);
  $('job-skipped-more').onclick = () => loadSkipped(id, next).catch(() => {});
}

function skippedTitle(total, shown) {
  $('job-skipped-title').textContent = `Skipped items (${total.toLocaleString()}${shown < total ? `, ${shown.toLocaleString()} shown` : ''}): what the job passed over, each with why and where`;
}

/**
 * A running job's skipped items as its progress line counts them: the list's title kept the count
 * of when the job was opened ("Skipped items (3)") beside a progress line saying 40, and the items
 * skipped since were reachable only by opening the job again. The title follows the count, and Show
 * more reaches the items after the last listed (the list is read whole again when the job ends).
 */
function followSkipped(j) {
  // before the job's first list is asked (openJob reads it with its notes) the box is another job's
  if (state.jobId !== j.id || state.skippedJob !== j.id || !['queued', 'running'].includes(j.state)) return;
  const total = j.skippedCount ?? 0;
  if (total === 0) return;
  const list = $('job-skipped');
  // none listed when its list was read: the first items are read now (the box appears)
  if ($('job-skipped-box').hidden) { loadSkipped(j.id).catch(() => {}); return; }
  const shown = list.children.length;
  if (!shown) return;
  skippedTitle(total, shown);
  if (shown < total) {
    const last = Number(list.lastElementChild.dataset.skipped);
    $('job-skipped-more').hidden = false;
    $('job-skipped-more').onclick = () => loadSkipped(j.id, last).catch(() => {});
  }
}

async function loadNotes(id) {
  loadSkipped(id).catch(() => {});
  // the job's notes alone: its decisions' entries (up to 100,000 row ids each) are not read for them;
  // and the job as it is now (whether its notes say rows are left out: rowsLeftOut, recorded with them)
  const ticket = askTicket('notes');
  const [items, job] = await Promise.all([auditOf(id, ['job.notes']), api(`/api/jobs/${id}`)]);
  const notes = items.filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes ?? []);
  // the notes of a later ask shown already (the job's scan ended meanwhile: its last notes) stay
  if (state.jobId !== id || !newerThanShown('notes', ticket, id)) return;
  $('job-notes').replaceChildren(...notes.map((n) => el('li', { text: n })));
  $('job-notes-box').hidden = notes.length === 0;
  // open for a restore job (its chain and comparison), for a finished job that staged no rows: its
  // notes say why (the grid's "no rows match" alone read as a filter that hid them), and for notes a
  // reviewer must read before approving (WARNING: log records rowback cannot read the meaning of;
  // INCOMPLETE, UNCHECKED): in a closed box they went unseen
  // As the job says it (complete false: INCOMPLETE sentences; warnings: WARNING and UNCHECKED ones,
  // recorded by the service as it writes the notes); the notes' prefixes only for a job that finished
  // before the service recorded them (complete null)
  const loud = job.complete === false || (job.warnings ?? []).length > 0 || (job.complete == null && notes.some((n) => /^(WARNING|INCOMPLETE|UNCHECKED):/.test(n)));
  // and for notes saying rows of the incident are not in the job (outside the window, on tables the
  // metadata lacks, not committed in the log read, a TRUNCATE/DROP): closed, a reviewer approved a
  // day's rows unaware 9 more deletes were left out. The job says it (rowsLeftOut, recorded with its
  // notes by the service): the page matched two phrases of the notes' words itself
  const leftOut = job.rowsLeftOut === true;
  $('job-notes-box').open = loud || leftOut || job.kind === 'restore' || (job.state === 'succeeded' && job.rowsStaged === 0);
}

// ------------------------------------------------------------------ rows grid (keyset paging)

const TIME_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?$/;

/** The filter form as API query fields; invalid input is marked (aria-invalid) and returned as problems, never silently dropped. */
function readFilter() {
  const f = {};
  const problems = [];
  for (const k of ['table', 'login', 'sid', 'dbUser', 'operation', 'status', 'from', 'to', 'q']) {
    const input = $(`f-${k}`);
    const v = input.value.trim();
    input.removeAttribute('aria-invalid');
    if (!v) continue;
    if ((k === 'from' || k === 'to') && !TIME_RE.test(v)) {
      input.setAttribute('aria-invalid', 'true');
      problems.push(`${k === 'from' ? 'From' : 'To'} '${v}' is not YYYY-MM-DD[ HH:MM[:SS[.fff]]]`);
      continue;
    }
    f[k] = k === 'from' || k === 'to' ? v.replace(' ', 'T') : v;
  }
  // Compared as the bounds they are (the server's): a To given to the day, minute or second covers
  // all of it. As text, From 2018-08-28T21:50 and To 2018-08-28 were refused as 'To is before From'.
  const bound = (v, end) => { const t = v.slice(0, 23); return t + (end ? '9999-12-31T23:59:59.999' : '0000-01-01T00:00:00.000').slice(t.length); };
  if (f.from && f.to && bound(f.from, false) > bound(f.to, true)) { $('f-to').setAttribute('aria-invalid', 'true'); problems.push('To is before From'); }
  return { filter: f, problems };
}

async function resetPaging() {
  const { filter, problems } = readFilter();
  $('filter-msg').textContent = problems.join('; ');
  if (problems.length) return; // the grid keeps showing the last valid filter's rows
  state.filter = filter;
  state.cursors = [null];
  state.page = 0;
  saveView();
  try {
    await loadPage();
  } catch (e) {
    // the server's 400 names the field: mark it
    const field = e.body?.field?.replace(/^querystring\./, '');
    if (field && $(`f-${field}`)) $(`f-${field}`).setAttribute('aria-invalid', 'true');
    $('filter-msg').textContent = `${e.body?.code ?? 'ERROR'}: ${e.message}`;
  }
}

/** Value columns of the grid: the selected table's columns in table order, else one summary column. */
function valueColumns() {
  return state.filter.table ? state.tables.get(state.filter.table) ?? null : null;
}

// 'Op': a job of inserts and updates too stages their rows beside the deletes, with the same
// columns; without it an inserted row or an update's before-image read as a deleted one
const FIXED_HEAD = ['#', 'Table', 'Op', 'LSN', 'Begin time', 'Login', 'SID', 'SPID', 'Host', 'Transaction', 'Status'];
function renderHead() {
  const cols = valueColumns();
  const box = el('input', { type: 'checkbox', id: 'select-page', 'aria-label': 'select page' });
  box.addEventListener('change', (ev) => {
    for (const b of $('grid-body').querySelectorAll('input[type=checkbox]')) {
      b.checked = ev.target.checked;
      const id = Number(b.dataset.row);
      if (b.checked) state.selected.add(id); else state.selected.delete(id);
    }
  });
  // Status held at the grid's right edge while the columns before it are scrolled (status-col): at
  // 1400 px the grid is 1,050 px of a 1,520 px table (680 px with a row's detail open), and the
  // status a reviewer decides by was past its right edge, cut to 'St…'
  $('grid-head').replaceChildren(el('th', {}, box), ...FIXED_HEAD.map((h) => el('th', { text: h === 'Begin time' ? 'Begin time (log)' : h, ...(h === 'Status' ? { class: 'status-col' } : {}) })),
    ...(cols ? cols.map((c) => el('th', { class: 'vcol', text: c })) : [el('th', { text: 'Values' })]));
  $('grid').classList.toggle('wide', Boolean(cols));
}

/**
 * Loads the grid's current page. `recount`: count the filter's rows again on a later page too, as
 * after a decision or a run changed statuses (a page past the first kept the total of the filter's
 * first page: with status=pending, "60 matching rows" after 5 of them were approved, and the
 * no-filter confirm quoted that number).
 */
async function loadPage({ recount = false } = {}) {
  const qs = new URLSearchParams({ ...state.filter, limit: '50' });
  const cursor = state.cursors[state.page];
  if (cursor) qs.set('cursor', cursor);
  // the total once per filter, on its first page, and again when statuses changed
  if (!cursor || recount) qs.set('count', 'true');
  const jobId = state.jobId;
  // the newest request alone draws: another job opened, another page or filter asked, a decision's
  // recount, while this answer was on its way (a late page 3 drew its rows under page 2's line, a late
  // filter's rows under the newer filter's form, and their cursor and asOf went with Next and decisions)
  const asked = (state.pageAsked = (state.pageAsked ?? 0) + 1);
  const stale = () => state.jobId !== jobId || state.pageAsked !== asked;
  let page;
  try {
    page = await api(`/api/jobs/${jobId}/rows?${qs}`);
  } catch (e) {
    if (stale()) return; // an earlier request's refusal is not the newer filter's
    throw e;
  }
  if (stale()) return;
  // the asOf tokens a decision sends back: the page's (its rows, for a decision by ids) and the
  // count's (the rows the page line counts, for all matching); the server refuses a decision when
  // the rows it would take are not those (staged or decided since), where a count alone missed a
  // row staged and another decided since
  if (page.total !== undefined) { state.total = page.total; state.countAsOf = page.asOf; }
  state.pageAsOf = page.asOf;
  // rows of no begin time the from/to window cannot place: counted on the first page, said beside
  // the page line (the API's sentence as its tooltip), kept while paging the same filter
  if (!cursor || recount) state.unplaced = page.unplaced ?? null;
  state.rows = page.items;
  state.next = page.next;
  state.selected.clear();
  renderHead();
  const cols = valueColumns();
  $('grid-body').replaceChildren(...page.items.map((r) => rowTr(r, cols)));
  $('next-page').disabled = !page.next;
  $('first-page').disabled = state.page === 0;
  $('prev-page').disabled = state.page === 0;
  // a page of large values holds fewer than 50 rows (the API stops a page at 32 Mi characters):
  // "of N" counted 50 a page and read "page 3 of 2" there, so it is left out once a page is short
  if (page.items.length < 50 && page.next) state.shortPages = true;
  if (!cursor) state.shortPages = page.items.length < 50 && Boolean(page.next);
  const of = state.shortPages ? ' (pages of large values hold fewer rows)' : ` of ${Math.max(1, Math.ceil(state.total / 50)).toLocaleString()}`;
  $('page-info').textContent = page.items.length
    // the ids of the page's first and last rows, said as ids beside the page's own count: "3 matching
    // rows · #1–#9" (ids 1, 8, 9 of a filter) read as nine rows
    ? `page ${state.page + 1}${of} · ${state.total.toLocaleString()} matching rows · this page: ${page.items.length.toLocaleString()} row(s), ids #${page.items[0].id}–#${page.items[page.items.length - 1].id}`
    : noRowsText();
  const un = state.unplaced;
  $('page-info').textContent += un ? ` · ${un.rows.toLocaleString()} more row(s) not listed: no begin time, the window cannot place them` : '';
  $('page-info').title = un ? un.note : '';
}

// A job that finished with no rows staged is not a filter that matched nothing: say so, and where the reason is.
function noRowsText() {
  const job = state.jobs.find((j) => j.id === state.jobId);
  if (job?.state === 'succeeded' && job.rowsStaged === 0) return 'this job staged no rows — why: see "What the job read and how" above';
  return 'no rows match';
}

// text quoted as JSON: bare, the text 'NULL' read as NULL, '' as nothing, 'a, b=c' as two columns,
// and trailing spaces and line breaks were invisible
function summary(values, types) {
  return Object.entries(values).map(([k, v]) => `${k}=${v === null ? 'NULL' : typeof v === 'object' ? objectText(v) : typeof v === 'string' ? (isBinaryType(types?.get(k)) ? v : JSON.stringify(v)) : numberText(v)}`).join(', ');
}

// Types whose values the API gives as 0x… hex (binary, varbinary, image, rowversion, CLR types'
// bytes): shown unquoted and in the binary style, so a varchar holding the text '0x0102' (shown
// quoted, or plain in the text style) is not taken for two bytes
const BINARY_TYPES = new Set(['binary', 'varbinary', 'image', 'timestamp', 'rowversion', 'hierarchyid', 'geography', 'geometry']);
function isBinaryType(type) {
  return typeof type === 'string' && BINARY_TYPES.has(type.replace(/\(.*$/, '').toLowerCase());
}

/**
 * A value that is not text or an object: a float's negative zero, which SQL Server keeps (CONVERT
 * gives '-0') and the API sends as -0, as `-0` (String(-0) and JSON.stringify write 0).
 */
function numberText(v) {
  return v === 0 && 1 / v < 0 ? '-0' : String(v);
}

/** An object value (a sql_variant, an off-row marker) as JSON, a -0 in it written -0 (numberText). */
function objectText(v) {
  let negativeZero = false;
  const text = JSON.stringify(v, (_k, x) => {
    if (x === 0 && 1 / x < 0) negativeZero = true;
    return x;
  });
  if (!negativeZero) return text;
  const mark = `\u0000-0:${Math.random()}`;
  return JSON.stringify(v, (_k, x) => (x === 0 && 1 / x < 0 ? mark : x)).split(JSON.stringify(mark)).join('-0');
}

function cellText(v) {
  return v === null ? 'NULL' : v === undefined ? '' : typeof v === 'object' ? objectText(v) : numberText(v);
}

function rowTr(r, cols) {
  const box = el('input', { type: 'checkbox', 'aria-label': `select row ${r.id}`, 'data-row': String(r.id) });
  box.addEventListener('click', (ev) => {
    ev.stopPropagation();
    if (box.checked) state.selected.add(r.id); else state.selected.delete(r.id);
  });
  const sid = r.meta?.sidText ?? r.meta?.sid ?? '';
  const login = r.login ?? (r.meta?.dbUser ? `${r.meta.dbUser} (db user)` : '');
  // not a delete: the re-insert leaves it out (REINSERT_NOT_A_DELETE) unless asked for on purpose
  const op = r.operation === 'delete' ? 'delete' : r.operation === 'update' ? 'update (before)' : r.operation;
  // a comparison's row says where it came from in its warnings (src/recover/recovered-row.ts
  // ROW_PROVENANCE): no doubt, so no ⚠ for it (every row of a clean restore job was flagged)
  const doubts = (r.warnings ?? []).filter(isDoubtWarning);
  const warn = doubts.length ? `${doubts.length} warning(s): ${doubts.join('; ')}` : '';
  const types = state.columnTypes?.get(r.table);
  const fixed = [el('td', {}, box), el('td', { text: String(r.id) }), el('td', { text: r.table }),
    el('td', { class: `op ${r.operation}`, text: op, title: r.operation === 'delete' ? 'recovered from a delete' : `recovered from ${r.operation === 'insert' ? 'an insert' : 'an update'}, not a delete: not re-inserted unless asked for` }),
    el('td', { text: r.lsn }),
    el('td', { text: fmtLogTime(r.beginTime) }), el('td', { text: login }), el('td', { class: 'sid', text: sid, title: sid }),
    el('td', { text: r.spid === null || r.spid === undefined ? '' : String(r.spid) }),
    el('td', { text: r.meta?.host ?? '', title: r.meta?.program ?? '' }), el('td', { text: r.transactionName ?? '' }),
    el('td', { class: 'status-cell' }, el('span', { class: `st ${r.status}`, text: r.status }), ...(warn ? [' ', el('span', { class: 'st warned', text: '⚠ warnings', title: warn })] : []))];
  const values = cols
    // each value as stored: spaces kept (white-space: pre), line breaks, controls, zero-width and
    // bidi characters marked (drawn as is, 'Smith   ' read 'Smith' and 'admin\0' 'admin')
    ? cols.map((c) => {
      const t = cellText(r.values[c]);
      const type = types?.get(c);
      const bin = r.values[c] !== null && isBinaryType(type);
      // the column's type in the tooltip: a text '0x…' and bytes 0x… look alike otherwise
      const title = r.values[c] === null || !type ? t : bin ? `${t} (${type}: bytes)` : typeof r.values[c] === 'string' && /^0x/i.test(r.values[c]) ? `${t} (${type}: text, the characters "${t.length > 40 ? `${t.slice(0, 40)}…` : t}", not bytes)` : t;
      // a long value (a varchar(max) document) shows its start and says so: the whole value is the
      // row detail's (thousands of marked characters in one table cell hung the page's layout)
      if (t.length > CELL_SHOWN) {
        const cut = /[\ud800-\udbff]/.test(t[CELL_SHOWN - 1]) ? CELL_SHOWN - 1 : CELL_SHOWN; // never half a surrogate pair
        return el('td', { class: `vcell${bin ? ' bin' : ''}`, title: `${t.slice(0, cut)}… (${t.length.toLocaleString()} characters${bin ? `; ${type}: bytes` : ''})` }, visibleText(t.slice(0, cut), INVISIBLE_IN_CELL),
          el('span', { class: 'more', text: ` … (${t.length.toLocaleString()} characters in all: the row's detail shows the whole value)` }));
      }
      return el('td', { class: `vcell${r.values[c] === null ? ' null' : bin ? ' bin' : ''}`, title }, visibleText(t, INVISIBLE_IN_CELL));
    })
    : [(() => { const text = summary(r.values, types); return el('td', { class: 'vals', text, title: text }); })()];
  return activatable(el('tr', { 'data-row': String(r.id), class: r.id === state.openRowId ? 'open' : '' }, ...fixed, ...values), null, () => openRow(r.id));
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

// Characters a browser draws as nothing or that reorder what follows: C0/C1 controls but TAB and LF
// (shown by white-space: break-spaces), zero-width and bidi control characters, the BOM, and an
// unpaired UTF-16 surrogate. Drawn as is, 'admin\u0000' read as 'admin' and a value holding U+202E
// displayed its text reversed.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// A grid cell is one line: there a line break or tab is drawn as a space too ('line1\nline2' read
// as 'line1 line2'), so it is marked as well
/** The characters of a value a grid cell shows at most (rowTr): the rest is the row detail's, the cell says so. */
const CELL_SHOWN = 2000;
const INVISIBLE_IN_CELL = new RegExp(`[\\t\\n]|${INVISIBLE.source}`, 'g');

/**
 * A value's text as DOM pieces: each INVISIBLE character (or each `marked` one: INVISIBLE_IN_CELL
 * for a one-line grid cell) as a marked `U+XXXX` (class cc, titled), the rest as text. A mark is
 * an inline-block (style.css): kept apart in the bidi algorithm as `unicode-bidi: isolate` kept it,
 * without the time chromium took to lay out many isolates (70,000 marks: ~21 s).
 */
function visibleText(text, marked = INVISIBLE) {
  const out = [];
  let at = 0;
  for (const m of text.matchAll(marked)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    out.push(el('span', { class: 'cc', text: code, title: `the character ${code}, not shown as itself` }));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/**
 * A row's source as the CLI names a file and its set: its kind, then the file, `FILE (backup set N)`
 * when the file holds several backup sets (the row's source then has `position`, the set it was read
 * from: RESTORE … WITH FILE = N). The kind alone showed where a restore job's rows of
 * `"bak": [F, F], "position": [1, 2]` came from as `bak`, not which file or which of its backups.
 */
function sourceText(source) {
  if (!source) return undefined;
  if (source.file === undefined) return source.kind;
  return `${source.kind}: ${source.file}${source.position !== undefined ? ` (backup set ${source.position})` : ''}`;
}

/**
 * Shows row `rowId` of the job open in the detail pane. The answer is shown only for the newest
 * request while that job is still open and the pane was not closed since (state.rowAsked): a row
 * clicked while the service was slow, then another job opened, showed the first job's row over the
 * second job's grid; a row clicked, then another, showed whichever answer came last.
 */
async function openRow(rowId) {
  const jobId = state.jobId;
  const asked = (state.rowAsked = (state.rowAsked ?? 0) + 1);
  const r = await api(`/api/jobs/${jobId}/rows/${rowId}`);
  if (state.jobId !== jobId || state.rowAsked !== asked) return;
  state.openRowId = rowId;
  for (const tr of $('grid-body').children) tr.classList.toggle('open', tr.dataset.row === String(rowId));
  $('detail-title').textContent = `Row #${r.id} · ${r.tableText ?? r.table} · ${r.operation === 'update' ? 'update (before-image)' : r.operation} · ${r.status}`;
  const shown = (v) => v === null ? 'NULL' : v === undefined ? '—' : typeof v === 'object' ? objectText(v) : numberText(v);
  // an update's row holds both images: the values (before) and what the update left (after)
  const after = r.after && typeof r.after === 'object' ? r.after : null;
  const cell = (v) => el('td', { class: v === null ? 'v null' : 'v' }, visibleText(shown(v)));
  $('detail-values').replaceChildren(
    ...(after ? [el('tr', {}, el('th', { text: 'column' }), el('th', { text: 'before' }), el('th', { text: 'after (the update left)' }))] : []),
    ...Object.entries(r.values).map(([k, v]) =>
      el('tr', {}, el('td', { text: k }), cell(v), ...(after ? [cell(after[k])] : []))));
  const meta = { LSN: r.lsn, operation: r.operation, transaction: r.transactionId, 'transaction name': r.transactionName, login: r.login, 'database user': r.meta?.dbUser, SID: r.meta?.sidText ? `${r.meta.sidText} (${r.meta.sid})` : r.meta?.sid, SPID: r.spid, host: r.meta?.host, program: r.meta?.program, 'begin time (log)': fmtLogTime(r.beginTime), 'end time (log)': fmtLogTime(r.endTime), page: r.meta?.pageId, slot: r.meta?.slotId, source: sourceText(r.meta?.source) };
  // each as text, a bidi or zero-width character marked as values are: a file, host, program, login or
  // transaction name holding U+202E displayed its text reversed ('bak: /evidence/\u202Ekab.lluf' read as another file)
  $('detail-meta').replaceChildren(...Object.entries(meta).map(([k, v]) => el('tr', {}, el('td', { text: k }), el('td', {}, visibleText(v === null || v === undefined ? '—' : String(v))))));
  $('detail-raw').textContent = `${r.raw.length / 2} bytes\n${hexDump(r.raw)}`;
  const notes = [
    ...r.warnings.map((w) => `${isDoubtWarning(w) ? 'warning' : 'from'}: ${w}`),
    // labelled with its zone, as the audit and run tables head theirs: beside the row's log times it read as one of them
    ...r.decisions.map((d) => `${d.decision} by ${d.actor} at ${fmtInstant(d.decidedAt)} (${state.info?.timeZone ?? 'UTC'}): ${d.reason}`),
    // a run into a side table (tableMap) left the row approved: said so, never read as back in its table;
    // "stays approved" only while it is (a later run into its own table, or a rejection, changed that:
    // the side table's line went on saying "not back in" beside the run that put it back), and beside a
    // side table's line a run into the row's own table says so
    // the tables as the service names them, one T-SQL name each (tableText, sideTableText: a side table
    // `Trail Back, x` read as two); the raw names when an older service answers without them
    ...r.reinsert.map((o) => `re-insert run ${o.runId}: ${o.outcome}${o.sideTable ? ` (${o.outcome === 'inserted' ? 'put into' : 'into'} side table ${o.sideTableText ?? o.sideTable}${r.status === 'approved' ? `: the row stays approved, not back in ${r.tableText ?? r.table}` : `, not its own table ${r.tableText ?? r.table}`})` : r.reinsert.some((x) => x.sideTable) ? ` (into its own table ${r.tableText ?? r.table})` : ''}${o.detail?.existing ? ` — ${typeof o.detail.index === 'string' ? `its value of unique index ${o.detail.index}${Array.isArray(o.detail.indexColumns) ? ` (${o.detail.indexColumns.join(', ')})` : ''} is held by the existing row ` : 'existing row '}` + objectText(o.detail.existing) : ''}`),
    // a run holding the row (heldBy): a decision on it is refused, which the detail did not say
    ...(r.heldBy ? [r.heldBy.state === 'running'
      ? `held by re-insert run ${r.heldBy.runId} (batch ${r.heldBy.batchNo}), running: it may be putting this row in now; no decision changes this row until the run has ended`
      : `held by re-insert run ${r.heldBy.runId} (batch ${r.heldBy.batchNo}, ${r.heldBy.state}): that batch may have committed in the target without the run recording it, this row then back in ${r.tableText ?? r.table} already; no decision changes this row until the run is resumed (it reads the target's ledger first)${state.me?.role === 'operator' ? '' : '; only an operator resumes a run'}`] : []),
  ];
  // a reason (free text) or warning holding a bidi or zero-width character read as other words: marked, as values are
  $('detail-notes').replaceChildren(...(notes.length ? notes : ['none']).map((n) => el('li', {}, visibleText(n))));
  $('detail').hidden = false;
  $('rows-area').classList.add('with-detail');
  // a narrow window puts the detail under the grid (style.css): brought into view, or a click seemed to do nothing
  const box = $('detail').getBoundingClientRect();
  if (box.top >= window.innerHeight || box.bottom <= 0) $('detail').scrollIntoView({ block: 'start' });
}

// ------------------------------------------------------------------ decisions

/** The filter form (readFilter's answer) is the applied filter: same fields, same values, no problems. */
function sameFilter(typed, applied) {
  if (typed.problems.length) return false;
  const a = Object.entries(typed.filter), b = Object.entries(applied);
  return a.length === b.length && a.every(([k, v]) => applied[k] === v);
}

async function decide(decision, by) {
  // one decision at a time: a double click sent two with the same asOf, the second refused as stale
  // (the first had decided rows of the count), and whichever answer's reload ended last wrote the
  // line: "STAGING_DECISION_STALE … nothing was decided" over a decision that rejected 4 rows and
  // held 2 back, or the held-back note, red, with "select and decide again" stuck to it
  if (state.deciding) return;
  const reason = $('reason').value.trim();
  const msg = $('decision-msg');
  // the last answer's marks go first: "Give a reason" after a held-back note kept its warning (and
  // its colour: .warned is declared after .error), read as part of that note
  msg.classList.remove('error', 'warned');
  if (reason.length < 3) { msg.textContent = 'Give a reason (at least 3 characters).'; msg.classList.add('error'); return; }
  const body = { decision, reason };
  if (by === 'ids') {
    if (!state.selected.size) { msg.textContent = 'Select rows first.'; msg.classList.add('error'); return; }
    body.ids = [...state.selected];
    // the statuses the grid shows them with: a row another reviewer decided since is refused
    // (STAGING_DECISION_STALE), not overturned unseen
    body.seen = Object.fromEntries(state.rows.filter((r) => state.selected.has(r.id)).map((r) => [String(r.id), r.status]));
    // and the read they were shown by: a row decided since, even back to the status shown, is refused
    if (state.pageAsOf) body.asOf = state.pageAsOf;
  } else if (!sameFilter(readFilter(), state.filter)) {
    // "all matching" is the filter the grid shows (the last applied), not the one typed since:
    // deciding the applied one while the form showed another decided rows the reviewer never saw
    msg.textContent = 'The filter fields were changed and not applied: the grid still shows the last applied filter. Press Apply (and check the rows), then decide.';
    msg.classList.add('error');
    return;
  } else if (!state.countAsOf) {
    // without the count's token the server could not tell the rows counted from others
    msg.textContent = 'The rows are not counted yet: press Apply, then decide.';
    msg.classList.add('error');
    return;
  } else if (Object.keys(state.filter).length === 0) {
    // no filter: the whole job, which the server decides only when asked with all: true — asked
    // here once the reviewer confirms it in so many words (an empty filter approved every row)
    const job = `job #${state.jobId}`;
    if (!window.confirm(`No filter is applied: this will ${decision} EVERY row of ${job} (${(state.total ?? 0).toLocaleString()} matching now; rows re-inserted or in conflict stay as they are). ${decision === 'approve' ? 'Approve' : 'Reject'} them all?`)) {
      msg.textContent = 'Nothing decided: apply a filter first, or confirm deciding every row.';
      return;
    }
    body.all = true;
    body.asOf = state.countAsOf;
  } else {
    body.filter = state.filter;
    // the rows the page line counts, by identity (asOf of the count): a row staged or decided since
    // makes the server refuse, also when the count stayed the same
    body.asOf = state.countAsOf;
  }
  state.deciding = true;
  for (const id of DECIDE_BUTTONS) $(id).disabled = true;
  // the job decided on: another opened while the answer was on its way is not told it was decided
  // ("Rejected 1 row(s)" was said over the other job's grid, its counts then refreshed as if changed)
  const jobId = state.jobId;
  try {
    const r = await api(`/api/jobs/${jobId}/decisions`, { method: 'POST', body });
    const elsewhere = () => {
      if (state.jobId === jobId) return false;
      msg.textContent = `Job #${jobId}: ${r.rows.toLocaleString()} row(s) ${decision === 'approve' ? 'approved' : 'rejected'} (decision #${r.decisionId}); job #${state.jobId} is shown now.`;
      return true;
    };
    if (elsewhere()) return;
    // the dry run shown planned the rows approved before this decision: its line ("3 row(s) … an
    // operator runs it") and Run stayed, and a run sent rows since rejected into a refusal, or left
    // rows since approved out unsaid
    if (r.rows > 0) dropDryRunOnItsWay(`${r.rows.toLocaleString()} row(s) were decided`);
    if (r.rows > 0 && state.dryRunLine) {
      const shown = state.dryRunLine;
      state.lastDryRun = null;
      offerRun(false);
      sayDryRun(`rows were decided after dry run #${shown}: its script no longer matches the approved rows; Generate dry-run script again before a run`, 'warned');
    }
    msg.textContent = 'Saved; refreshing…';
    await loadPage({ recount: true });
    const blastTicket = askTicket('blast');
    const blast = await api(`/api/jobs/${jobId}/blast-radius`);
    if (elsewhere()) return;
    if (newerThanShown('blast', blastTicket, jobId)) renderBlast(blast);
    // the confirmation appears once the grid shows the new statuses; a decision that changed
    // nothing says why (the server's note), not "0 row(s)" alone
    msg.textContent = r.rows === 0 && r.note ? `${r.note} (decision #${r.decisionId}).` : `${decision === 'approve' ? 'Approved' : 'Rejected'} ${r.rows.toLocaleString()} row(s) (decision #${r.decisionId}).`;
    // "all matching" left out rows a re-insert run holds (heldBack): said with the run and the way
    // on (the server's note), never "Approved 998 row(s)" alone of the 1000 the page line counted
    if (r.heldBack) {
      msg.textContent += ` ${r.note}.`;
      msg.classList.add('warned');
    } else if (r.conflictsDecided) {
      // conflict rows decided again (named by selection or by the conflict status): what a run does
      // with them, said, never "Approved 3 row(s)" alone of rows whose key is in the target
      msg.textContent += ` ${r.note}.`;
      // the note's side table is a run's tableMap, which this page does not send: its runs go into
      // the rows' own tables, and a reviewer looked for a side-table field that is not here
      if (decision === 'approve') msg.textContent += ` A side-table run (tableMap) is an operator's through the API, POST /api/jobs/${state.jobId}/reinsert with tableMap (docs/service.md, "Re-insert safety", Side tables): this page's runs go into the rows' own tables.`;
      msg.classList.add('warned');
    } else if (r.conflictsLeft && r.rows > 0) {
      // conflict rows "all matching" matched and left (only named ones are decided again): said with
      // the way to name them, never "Approved 2 row(s)" alone of the 3 the page line counted
      msg.textContent += ` ${r.note}.`;
      msg.classList.add('warned');
    } else if (r.conflictsLeft) {
      msg.classList.add('warned');
    }
    // rows of no begin time the filter's window cannot place were not decided (unplaced): the page
    // line counted them as "not listed", and "Approved 5 row(s)" alone read as every row of the window
    if (r.unplaced) {
      msg.textContent += ` ${r.unplaced.note}.`;
      msg.classList.add('warned');
    }
  } catch (e) {
    msg.textContent = `${state.jobId !== jobId ? `Job #${jobId}'s decision: ` : ''}${e.body?.code ?? 'ERROR'}: ${e.message}`;
    msg.classList.add('error');
    if (state.jobId !== jobId) return;
    // rows changed under the grid (another reviewer, a run, a running job): shown as they are now
    if (e.body?.code === 'STAGING_DECISION_STALE') {
      await loadPage({ recount: true }).catch(() => {});
      msg.textContent += ' The grid now shows the rows as they are; select and decide again.';
    } else if (e.body?.code === 'STAGING_DECISION_RUN_ACTIVE') {
      // the rows a run holds: a running run changes them meanwhile (the grid kept showing them
      // approved); the way on the server names (resume the run, POST …/resume) is an operator's
      await loadPage({ recount: true }).catch(() => {});
      // by filter it is refused only when every row it would change is held (it leaves held rows
      // out and decides the others): nothing to select instead
      msg.textContent += ` The grid now shows the rows as they are (nothing selected)${by === 'ids' ? ': to decide the others, select them again without those' : ': "all matching" leaves out the rows a run holds and decides the others, and here every row it would change is held, so there is nothing to decide until the run lets them go'}. The Re-insert tab shows the run${state.me?.role === 'operator' ? ' and, when it stopped, its Resume' : '; only an operator resumes a stopped run'}.`;
    }
  } finally {
    // the answer is on the line: the buttons back as the role has them
    state.deciding = false;
    for (const id of DECIDE_BUTTONS) $(id).disabled = state.me?.role !== 'reviewer';
  }
}

/**
 * The rows of the applied filter (every page) as CSV, through GET /api/jobs/:id/export (the token
 * in a header, never in a URL). The page offered no export: a reviewer could not take the rows they
 * were deciding on to the owner without the API. Refused, as a decision is, while the filter fields
 * were changed and not applied: the file would not hold the rows the grid shows.
 */
async function exportCsv() {
  const msg = $('export-msg');
  msg.classList.remove('error');
  if (!sameFilter(readFilter(), state.filter)) {
    msg.textContent = 'The filter fields were changed and not applied: press Apply, then export (the file holds the applied filter\'s rows).';
    msg.classList.add('error');
    return;
  }
  const jobId = state.jobId;
  const qs = new URLSearchParams({ ...state.filter, format: 'csv' });
  msg.textContent = 'Exporting…';
  try {
    const res = await fetch(`/api/jobs/${jobId}/export?${qs}`, { headers: { authorization: `Bearer ${state.token}` } });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      if (res.status === 401) signOut(refusedText(body, res.status));
      throw new ApiError(res.status, body);
    }
    const text = await res.text();
    download(`rowback-job${jobId}-rows.csv`, text, 'text/csv;charset=utf-8');
    const unplaced = Number(res.headers.get('x-rowback-unplaced') ?? 0);
    const incomplete = res.headers.get('x-rowback-complete') === 'false';
    msg.textContent = `Exported rowback-job${jobId}-rows.csv: the rows of the applied filter (${state.total.toLocaleString()} when last counted)`
      + (unplaced ? `; ${unplaced.toLocaleString()} row(s) of no begin time the window cannot place are not in it` : '')
      + (incomplete ? '; the job is INCOMPLETE (see its notes)' : '') + '.';
  } catch (e) {
    msg.textContent = `${e.body?.code ?? 'ERROR'}: ${e.message}`;
    msg.classList.add('error');
  }
}

// ------------------------------------------------------------------ blast radius

function renderBlast(b) {
  const byStatus = b.byStatus.map((s) => `${s.rows.toLocaleString()} ${s.status}`).join(' · ');
  // per operation: inserted rows and updates' before-images are not deleted rows (they were read as such)
  const ops = (b.byOperation ?? []).filter((o) => o.rows);
  const byOp = ops.length > 1 || ops.some((o) => o.operation !== 'delete') ? opCountsText(Object.fromEntries(ops.map((o) => [o.operation, o.rows]))) : '';
  // the server lists the 1,000 largest transactions: 1,000 of them is "1,000 or more", not a count
  const txns = b.byTransaction.length >= 1000 ? '1,000 or more' : String(b.byTransaction.length);
  $('blast-txns-title').textContent = b.byTransaction.length > 50 ? `Per transaction (the 50 largest of ${txns})` : 'Per transaction';
  // rows of no transaction (a state comparison's: a restore job) are in no transaction: they read as
  // "1 transaction(s)" of 12 rows, and their missing begin time as a transaction begun before the log read
  const noTxn = b.withoutTransaction ?? 0;
  const txnText = noTxn === b.total && b.total > 0 ? 'no transaction: rows of a comparison of two table states, not of log records'
    : `${txns} transaction(s)${noTxn ? ` and ${noTxn.toLocaleString()} row(s) of no transaction (a comparison of two table states)` : ''}`;
  $('blast-total').textContent = `${b.total.toLocaleString()} rows in ${b.byTable.length} table(s), ${txnText}${byStatus ? ' — ' + byStatus : ''}${byOp ? ' — ' + byOp : ''}`;
  const kv = (rows, cols) => [el('tr', {}, ...cols.map((c) => el('th', { text: c[0] }))), ...rows.map((r) => el('tr', {}, ...cols.map((c) => el('td', { text: String(r[c[1]] ?? '—') }))))];
  const OP_LABEL = { delete: 'delete', insert: 'insert', update: 'update (before-images)' };
  replaceWith($('blast-ops'), kv((b.byOperation ?? []).map((o) => ({ ...o.byStatus, rows: o.rows, operation: OP_LABEL[o.operation] ?? o.operation })),
    [['operation', 'operation'], ['rows', 'rows'], ['pending', 'pending'], ['approved', 'approved'], ['rejected', 'rejected'], ['re-inserted', 'reinserted'], ['conflict', 'conflict']]));
  replaceWith($('blast-tables'), kv(b.byTable.map((t) => ({ ...t, ...(t.byOperation ?? {}) })), [['table', 'table'], ['rows', 'rows'], ['delete', 'delete'], ['insert', 'insert'], ['update (before)', 'update']]));
  // offline rows have no login: told apart by database user and SID
  replaceWith($('blast-logins'), kv(b.byLogin.map((l) => ({ ...l, sid: l.sidText ?? l.sid })), [['login', 'login'], ['database user', 'dbUser'], ['SID', 'sid'], ['rows', 'rows']]));
  replaceWith($('blast-txns'), kv(b.byTransaction.slice(0, 50).map((t) => ({ ...t, beginTime: fmtLogTime(t.beginTime) })), [['transaction', 'transactionId'], ['begin (log)', 'beginTime'], ['login', 'login'], ['rows', 'rows']]));
  // rows whose transaction's begin is not in the log read have no begin time and no place on the
  // time axis: counted under the chart, or the chart read as every row of the job
  const timed = b.byMinute.reduce((n, d) => n + d.rows, 0);
  renderTimeChart(b.byMinute, Math.max(0, b.total - timed - noTxn), noTxn);
}

// Minutes are the log's own wall clock ('YYYY-MM-DD HH:MM', the SQL Server's local time); they
// are placed on a linear axis (read as UTC only to do arithmetic), so gaps show to scale.
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200];
function minuteMs(m) { return Date.parse(`${m}:00Z`); }
function wall(ms, withDate) {
  const iso = new Date(ms).toISOString();
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

function renderTimeChart(data, untimed = 0, compared = 0) {
  const W = 800, H = 200, padL = 34, padR = 8;
  const untimedText = (untimed ? ` · ${untimed.toLocaleString()} row(s) with no begin time (their transaction began before the log read) are not on it` : '')
    + (compared ? ` · ${compared.toLocaleString()} row(s) of a comparison of two table states (no transaction, no begin time) are not on it` : '');
  const s = svg('svg', { viewBox: `0 0 ${W} ${H + 34}`, role: 'img', 'aria-label': 'rows per minute over time' });
  if (!data.length) {
    const t = svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }); t.textContent = 'no row carries a begin time'; s.append(t);
    $('blast-chart').replaceChildren(s);
    $('blast-chart-title').textContent = `Rows per minute${untimedText}`;
    return;
  }
  const t0 = minuteMs(data[0].minute);
  const t1 = minuteMs(data[data.length - 1].minute) + 60_000;
  const spanMin = Math.max(1, (t1 - t0) / 60_000);
  const x = (ms) => padL + ((ms - t0) / (t1 - t0)) * (W - padL - padR);
  const max = data.reduce((m, d) => Math.max(m, d.rows), 1);
  const multiDay = data[0].minute.slice(0, 10) !== data[data.length - 1].minute.slice(0, 10);
  $('blast-chart-title').textContent = `Rows per minute, ${data[0].minute.slice(0, 10)}${multiDay ? ' – ' + data[data.length - 1].minute.slice(0, 10) : ''} (log time; gaps to scale)${untimedText}`;
  s.append(svg('line', { x1: padL, y1: H, x2: W - padR, y2: H, stroke: '#98a2b3' }));
  const maxLabel = svg('text', { x: 0, y: 10 }); maxLabel.textContent = String(max); s.append(maxLabel);
  const barW = Math.max(2, (W - padL - padR) / spanMin - 1);
  // a job of inserts and updates too: each minute's bar (rect.b) is covered by its deletes (bottom),
  // inserts and before-images (rect.seg)
  const mixed = data.some((d) => d.byOperation && (d.byOperation.insert || d.byOperation.update));
  for (const d of data) {
    const ms = minuteMs(d.minute);
    const h = Math.max(1, (d.rows / max) * (H - 14));
    const ops = mixed ? opCountsText(d.byOperation) : '';
    const rect = svg('rect', { class: 'b', x: x(ms), y: H - h, width: barW, height: h, 'data-minute': d.minute });
    const t = svg('title'); t.textContent = `${d.minute}: ${d.rows.toLocaleString()} rows${ops ? ` (${ops})` : ''}`; rect.append(t);
    s.append(rect);
    if (!mixed) continue;
    let y = H;
    for (const op of ['delete', 'insert', 'update']) {
      const n = d.byOperation[op];
      if (!n) continue;
      const part = (n / max) * (H - 14);
      y -= part;
      const r = svg('rect', { class: `seg op-${op}`, x: x(ms), y, width: barW, height: Math.max(0.5, part), 'data-minute': d.minute, 'data-op': op });
      const pt = svg('title'); pt.textContent = t.textContent; r.append(pt);
      s.append(r);
    }
  }
  if (mixed) {
    // the legend: which colour is which operation
    let lx = W - padR - 330;
    for (const [op, label] of [['delete', 'from deletes'], ['insert', 'from inserts'], ['update', 'update before-images']]) {
      s.append(svg('rect', { class: `seg op-${op}`, x: lx, y: 2, width: 10, height: 10 }));
      const lt = svg('text', { x: lx + 14, y: 11 }); lt.textContent = label; s.append(lt);
      lx += 20 + label.length * 6;
    }
  }
  // ticks at round wall-clock steps, at most ~8
  const step = TICK_STEPS.find((m) => spanMin / m <= 8) ?? 43200;
  const stepMs = step * 60_000;
  for (let ms = Math.ceil(t0 / stepMs) * stepMs; ms <= t1; ms += stepMs) {
    s.append(svg('line', { class: 'tick', x1: x(ms), y1: H, x2: x(ms), y2: H + 4, stroke: '#98a2b3' }));
    const label = svg('text', { class: 'tick-label', x: x(ms), y: H + 16, 'text-anchor': 'middle' });
    label.textContent = wall(ms, multiDay || step >= 1440);
    s.append(label);
  }
  $('blast-chart').replaceChildren(s);
}

// ------------------------------------------------------------------ dry run, audit, tabs

/**
 * A dry run's rows left out, by why: a row another job's run already put back into the same place
 * (never twice) is not a row that "cannot go back": it is back. Said apart from the others.
 */
function problemsText(problems) {
  if (!problems.length) return '';
  const elsewhere = problems.filter((p) => p.code === 'REINSERT_ALREADY_REINSERTED').length;
  const other = problems.length - elsewhere;
  // the others by code, most first: "N row(s) cannot go back" alone sent the reviewer to the script
  // to learn whether it was a trigger, a duplicate key or a bad value
  const byCode = new Map();
  for (const p of problems) if (p.code !== 'REINSERT_ALREADY_REINSERTED') byCode.set(p.code, (byCode.get(p.code) || 0) + 1);
  const codes = [...byCode].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code, n]) => `${code} ×${n.toLocaleString()}`).join(', ');
  return (elsewhere ? `, ${elsewhere.toLocaleString()} row(s) left out: already put back (or being put back) by another job's re-insert run into the same table (REINSERT_ALREADY_REINSERTED; never twice)` : '')
    + (other ? `, ${other.toLocaleString()} row(s) cannot go back: ${codes}` : '') + ' (see the script header: each row with its reason)';
}

/**
 * What a failed batch's code means, for those who are not sent its message (viewers, reviewers):
 * the code alone said nothing of what to do.
 */
const BATCH_FAILURE_HINTS = {
  REINSERT_ALREADY_REINSERTED: "a row of the batch was already put back by another job's re-insert run into the same table (never twice); nothing of the batch was inserted",
  REINSERT_ROW_NOT_APPROVED: 'a row of the batch is no longer approved since the run was planned; nothing of the batch was inserted',
};

function failureText(f) {
  if (!f) return 'failed';
  const hidden = f.message === 'an operator can see the details';
  return `${f.code} — ${hidden && BATCH_FAILURE_HINTS[f.code] ? `${BATCH_FAILURE_HINTS[f.code]} (an operator can see the details)` : f.message}`;
}

/**
 * The dry run's `jobWarning` (null for a job known complete): the job still stages, is INCOMPLETE
 * or is not known whole, so rows it has not found are in no script; and its `jobDoubt` (null for a
 * job with no WARNING/UNCHECKED sentence and no row with warnings): a value may be wrong or missing.
 * Each its own line above the script, as the script's header says them (jobDoubt was said in the
 * header alone: the page showed nothing above a script of rows with warnings). `more`: further
 * WARNING lines of the script's head the API gives apart, each its own line: the target's enabled
 * AFTER INSERT triggers (the run's summary.afterInsertTriggers[].warning: what such a trigger writes
 * elsewhere it writes for every row put back; L's left-out, session 43: said in the script head only).
 */
function showJobWarning(text, doubt = null, more = []) {
  const lines = [text, doubt, ...more].filter(Boolean);
  $('dry-run-job-warning').hidden = !lines.length;
  $('dry-run-job-warning').textContent = lines.join('\n');
}

/**
 * The dry run's `notScripted` ([{rowId, table, why}]): planned rows its script leaves out (a table
 * or column name holding a line break, `$(` or an unpaired UTF-16 surrogate, which the UTF-8 script
 * cannot carry), said only inside the script before. Each row with why, which names the name
 * escaped (\u{d83d}); the table as the API sends it may hold the lone surrogate, which a page
 * shows as U+FFFD: another table's name, so it is not shown.
 */
function showNotScripted(items) {
  const box = $('not-scripted');
  box.hidden = !items.length;
  $('not-scripted-title').textContent = items.length
    ? `${items.length.toLocaleString()} approved row(s) NOT SCRIPTED: the script leaves them out (a real run through the driver inserts them); put them back another way if you use the script`
    : '';
  replaceWith($('not-scripted-rows'), items.map((u) => el('li', { 'data-row': String(u.rowId) }, `row ${u.rowId}: ${u.why}`)));
}

/**
 * The Re-insert tab's line, in the colour of what it says: a refusal red, a dry run leaving rows
 * out or running nothing amber, else green (every refusal and a run of 0 rows read green).
 */
function sayDryRun(text, tone = 'ok') {
  // the dry run whose line is shown (dryRun sets it after its line): any other line replaces it
  state.dryRunLine = null;
  // what Copy script said was of the script shown before this line
  sayCopied('');
  const m = $('dry-run-msg');
  m.textContent = text;
  m.classList.toggle('error', tone === 'error');
  m.classList.toggle('warned', tone === 'warned');
}

/**
 * The Run re-insert… button, offered only for the script just shown against a ready target: greyed
 * with no word, an operator did not learn what made it live. Its title says so when greyed.
 */
function offerRun(on) {
  $('run-reinsert').disabled = !on;
  $('run-reinsert').title = on ? '' : 'Offered once a dry run against a ready target plans rows to insert: choose the Target, then Generate dry-run script; the run inserts exactly that script\'s rows';
}

/**
 * What changes what a dry run on its way would plan (the target, the table order, a decision): its
 * answer is dropped (state.scriptAsk) and the line says to generate it again (`why`), where the late
 * answer offered Run for the target and rows of before (Target: none shown beside a Run into side).
 */
function dropDryRunOnItsWay(why) {
  if (state.dryRunAsked === undefined || state.dryRunAsked !== state.scriptAsk) return false;
  state.scriptAsk += 1;
  state.dryRunAsked = undefined;
  sayDryRun(`${why} while the dry run was being generated: Generate dry-run script again`, 'warned');
  return true;
}

async function dryRun() {
  // an earlier dry run's script asked for meanwhile is not this one's
  const ask = (state.scriptAsk = (state.scriptAsk ?? 0) + 1);
  state.dryRunAsked = ask;
  state.earlierDryRun = null;
  sayDryRun('generating…');
  showNotScripted([]);
  showJobWarning(null);
  state.lastDryRun = null;
  offerRun(false);
  const targetName = $('target').value || undefined;
  const jobId = state.jobId;
  try {
    // the tables' order, parents first, for a script planned with no target (whose foreign keys are
    // not read: the tables came by name, a child first, with no way to say otherwise on the page)
    const tableOrder = nameList($('table-order').value);
    // the scripts' first SCRIPT_PREVIEW_BYTES alone (a 500 MB script in the page overwhelmed it): Download .sql saves the whole
    const r = await api(`/api/jobs/${jobId}/reinsert`, { method: 'POST', body: { dryRun: true, previewBytes: SCRIPT_PREVIEW_BYTES, ...(targetName ? { targetName } : {}), ...(tableOrder.length ? { tableOrder } : {}) } });
    // another job opened meanwhile: this script, and a Run of its rows, are not that job's (the
    // Run's dialog named the job opened and sent this job's row ids to it); nor is it the newest ask
    // when another dry run, an earlier one's script, the target, the table order or a decision came since
    if (state.jobId !== jobId || state.scriptAsk !== ask) return;
    state.dryRunAsked = undefined;
    showScriptText('script', { runId: r.run.id, text: r.script, cut: r.scriptCut, bytes: r.scriptBytes });
    showScriptText('undo', { runId: r.run.id, text: r.undoScript, cut: r.undoScriptCut, bytes: r.undoScriptBytes });
    showNotScripted(r.notScripted ?? []);
    showJobWarning(r.jobWarning ?? null, r.jobDoubt ?? null, (r.run.summary?.afterInsertTriggers ?? []).map((t) => t.warning));
    const rows = r.run.summary.rows;
    // another database than the rows were read from (another tenant's, or a side/restored copy): said first
    const other = r.databaseCheck?.verdict === 'different';
    // what comes next, for who reads it: nothing to run when no row can go back (it said 'choose a
    // target to run it' of 0 rows, in green), and a reviewer or viewer does not run one
    // no row planned and none left out: no row of the job is approved (it said 'no approved row of
    // this job can go back', which read as rows that cannot be put back, to a reviewer who had
    // approved none yet)
    const next = rows === 0 && !r.problems.length ? ' · nothing to run: no row of this job is approved: approve the rows to put back (Rows tab), then generate the script again'
      : rows === 0 ? ' · nothing to run: no approved row of this job can go back'
      : targetName ? ` · planned against ${targetName}'s catalog${state.me.role === 'operator' ? '' : ' · an operator runs it'}`
      : state.me.role !== 'operator' ? ' · an operator runs it, against a target'
      // no target to choose: the list holds 'none (script only)' alone (or targets whose variable is unset)
      : state.info?.targets.some((t) => t.ready) ? ' · choose a target to run it'
      : ' · no re-insert target is ready here (none configured in serve\'s --config "targets", or its variable unset): run this script in the target database yourself, or have a target configured';
    // green only for a script that puts every approved row back where it was read from
    sayDryRun(`${other ? `${r.databaseCheck.message} · ` : ''}run #${r.run.id}: ${rows.toLocaleString()} row(s) in ${r.run.summary.batches.toLocaleString()} batch(es)${problemsText(r.problems)}${next}`, rows === 0 || r.problems.length > 0 || other ? 'warned' : 'ok');
    state.dryRunLine = r.run.id;
    // a real run is offered only for what was just shown: this script, this target
    if (targetName && rows > 0) {
      // the run inserts exactly the rows this script does (rowIds), not whatever is approved by then
      state.lastDryRun = { runId: r.run.id, rows, batches: r.run.summary.batches, targetName, rowIds: r.rowIds, otherDatabase: other ? r.databaseCheck.message : null };
      offerRun(state.me.role === 'operator');
    }
    loadRuns().catch(() => {});
  } catch (e) {
    if (state.jobId !== jobId || state.scriptAsk !== ask) return;
    state.dryRunAsked = undefined;
    sayDryRun(`${e.body?.code ?? 'ERROR'}: ${e.message}`, 'error');
  }
}

// The audit's details are JSON text: a reason holding U+202E (right-to-left override) showed the
// rest of the entry reversed ('approved: ok' could read as another word), a zero-width character
// nothing; each is marked U+XXXX (visibleText), as a value is in the grid and the row detail.
// An entry's details are shown up to AUDIT_DETAILS_SHOWN characters, the rest said and named (a
// decision by ids keeps up to 100,000 ids, 1.7 M characters: a few hundred such entries put the
// whole of them into the page); each page of the log is made into rows as it comes, its details
// not kept.
const AUDIT_DETAILS_SHOWN = 64 * 1024;
function auditDetailsCell(a) {
  const text = JSON.stringify(a.details);
  if (text.length <= AUDIT_DETAILS_SHOWN) return el('td', { class: 'vals' }, visibleText(text));
  const cut = /[\ud800-\udbff]/.test(text[AUDIT_DETAILS_SHOWN - 1]) ? AUDIT_DETAILS_SHOWN - 1 : AUDIT_DETAILS_SHOWN; // never half a surrogate pair
  return el('td', { class: 'vals' }, visibleText(text.slice(0, cut)),
    el('span', { class: 'cut', text: ` … cut: ${text.length.toLocaleString()} characters in all; the whole entry: GET /api/audit?jobId=${a.jobId}&after=${a.id - 1}&limit=1` }));
}
async function loadAudit() {
  const jobId = state.jobId;
  const rows = [];
  for (let after = 0; ;) {
    const page = await api(`/api/audit?jobId=${jobId}&limit=1000&after=${after}`);
    if (state.jobId !== jobId) return; // another job opened meanwhile
    for (const a of page.items) rows.push(el('tr', {}, el('td', { text: String(a.id) }), el('td', { text: fmtInstant(a.at) }), el('td', { text: a.actor }), el('td', { text: a.action }), auditDetailsCell(a)));
    if (page.next === null || page.next === undefined || !page.items.length) break;
    after = page.next;
  }
  replaceWith($('audit'), [el('tr', {}, ...['#', `when (${state.info?.timeZone ?? 'UTC'})`, 'who', 'what', 'details'].map((h) => el('th', { text: h }))), ...rows]);
}

function showTab(name) {
  for (const b of document.querySelectorAll('.tab')) b.classList.toggle('active', b.dataset.tab === name);
  for (const p of document.querySelectorAll('.tab-panel')) p.hidden = p.id !== `tab-${name}`;
  if (name === 'audit') loadAudit().catch(() => {});
}

// ------------------------------------------------------------------ new job (operators)

function showCreate() {
  $('job').hidden = true;
  $('create').hidden = false;
  $('j-msg').textContent = '';
  const roots = state.info?.fileRoots;
  $('roots-hint').textContent = roots ? `Files must lie under: ${roots.join(', ')} (paths as the server sees them).` : 'Any file the server process can read.';
  showKindFields();
}

function showKindFields() {
  const kind = $('j-kind').value;
  for (const d of document.querySelectorAll('#job-form .kind')) d.hidden = !d.dataset.kind.split(' ').includes(kind);
  for (const f of document.querySelectorAll('#job-form .scan-only')) f.hidden = kind === 'restore';
}

/**
 * A backup-set position input: a number when it is digits; a list of numbers (`1,2`: one per backup
 * file, in order, as `rowback diff --position 1,2`) as an array; else its text (the server refuses
 * it naming the field). An empty item (`1,,2`) is sent as text, refused, never dropped.
 */
function positionOf(id) {
  const v = $(id).value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  if (/^\d+(\s*,\s*\d+)+$/.test(v)) return v.split(',').map((x) => Number(x.trim()));
  return v;
}

function lines(id) { return $(id).value.split('\n').map((x) => x.trim()).filter(Boolean); }

/** The form as a job spec (POST /api/jobs); only fields of the chosen kind are sent. */
function jobSpecFromForm() {
  const kind = $('j-kind').value;
  const spec = { kind };
  const put = (k, v) => { if (v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)) spec[k] = v; };
  if (kind === 'restore') {
    // a table at a point in time against a later state: no window, no metadata (the backups carry it)
    put('bak', lines('j-r-bak')); put('trn', lines('j-r-trn'));
    // the backup set of a file of several (StDb2Sql.bak's 2009 and 2010 backups): the server
    // refused such a file asking for "position" / "afterPosition", which the form had no field for
    put('position', positionOf('j-r-position')); put('afterPosition', positionOf('j-r-afterPosition'));
    put('stopAt', $('j-r-stopAt').value.trim().replace(' ', 'T')); put('stopBeforeLsn', $('j-r-stopBeforeLsn').value.trim());
    put('afterMdf', lines('j-r-afterMdf')); put('afterBak', lines('j-r-afterBak'));
    // the later state as another point in time (afterBak replayed with its log backups): sent only when filled
    put('afterTrn', lines('j-r-afterTrn'));
    put('afterStopAt', $('j-r-afterStopAt').value.trim().replace(' ', 'T')); put('afterStopBeforeLsn', $('j-r-afterStopBeforeLsn').value.trim());
    // several tables (comma-separated, as the scan form's): compared each on its own into this one job, a re-insert ordering them parents first
    const named = nameList($('j-r-table').value);
    if (named.length > 1) put('tables', named); else put('table', named[0] ?? '');
    put('key', nameList($('j-r-key').value));
    if ($('j-r-acceptOlderLater').checked) spec.acceptOlderLater = true;
    return spec;
  }
  if (kind === 'files') { put('mdf', $('j-mdf').value.trim()); put('bak', $('j-bak').value.trim()); const pos = $('j-position').value.trim(); put('position', /^\d+$/.test(pos) ? Number(pos) : pos); put('ldf', $('j-ldf').value.trim()); put('trn', lines('j-trn')); }
  if (kind === 'export') put('file', $('j-file').value.trim());
  if (kind === 'live' || kind === 'log-backup') { put('server', $('j-server').value.trim()); put('database', $('j-database').value.trim()); }
  if (kind === 'log-backup') put('logBackups', lines('j-logBackups'));
  put('from', $('j-from').value.trim().replace(' ', 'T'));
  put('to', $('j-to').value.trim().replace(' ', 'T'));
  put('tables', nameList($('j-tables').value));
  put('operations', [...document.querySelectorAll('#job-form input[name=op]:checked')].map((b) => b.value));
  // RECOVER_LAYOUT_MISMATCH's way on for rows older than columns added since (as scan --accept-layout-drift)
  if ($('j-acceptLayoutDrift').checked) spec.acceptLayoutDrift = true;
  // SOURCE_SCHEMA_DRIFT's way on (as scan --accept-schema-drift): a live, log-backup or export job's, with the old layout as metadata
  if (kind !== 'files' && $('j-acceptSchemaDrift').checked) spec.acceptSchemaDrift = true;
  const metaKind = $('j-meta-kind').value;
  if (metaKind) {
    const text = $('j-meta').value;
    const metadata = {};
    if (metaKind === 'ddl') metadata.ddl = text;
    else {
      try { metadata.catalog = JSON.parse(text.replace(/^\uFEFF/, '')); } catch (e) { throw Object.assign(new Error(`the catalog JSON does not parse: ${e.message}`), { field: 'metadata' }); }
    }
    Object.assign(metadata, allocUnitsFromForm($('j-alloc').value));
    spec.metadata = metadata;
  } else if ($('j-alloc').value.trim()) {
    // sent alone it would be dropped: an AllocUnitId maps a table of the metadata given here
    throw Object.assign(new Error('an AllocUnitId maps a table of the metadata given here: choose its Kind (CREATE TABLE script or catalog JSON), or clear the AllocUnitId'), { field: 'metadata.allocUnit' });
  }
  return spec;
}

/**
 * The AllocUnitId field as job metadata: one id (`72057594043629568`) is `allocUnit` (the
 * metadata's one table); a comma-separated list of `schema.name=id` pairs (`dbo.Customer=7205…,
 * dbo.Contact=7205…`) is `allocUnits` by table name, as `scan --alloc-unit SCHEMA.NAME=ID`. Empty:
 * nothing. A list mixing the two forms, several plain ids, a pair without a name or id, or a table
 * named twice is refused here (a thrown Error with the field), never sent half-read.
 */
function allocUnitsFromForm(text) {
  const v = text.trim();
  if (!v) return {};
  const parts = v.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = (message) => Object.assign(new Error(`AllocUnitId: ${message}`), { field: 'metadata.allocUnits' });
  if (!parts.some((x) => x.includes('='))) {
    if (parts.length > 1) throw bad(`${parts.length} ids without table names: give one id (one table), or schema.name=id pairs, comma-separated`);
    return { allocUnit: parts[0] };
  }
  const allocUnits = {};
  const seen = new Set();
  for (const pair of parts) {
    const at = pair.lastIndexOf('=');
    const name = at < 0 ? '' : pair.slice(0, at).trim();
    const id = at < 0 ? pair : pair.slice(at + 1).trim();
    if (at < 0 || !name || !id) throw bad(`'${pair}' is not a schema.name=id pair; give every table as schema.name=id`);
    if (seen.has(name.toLowerCase())) throw bad(`${name} is named twice`);
    seen.add(name.toLowerCase());
    allocUnits[name] = id;
  }
  return { allocUnits };
}

// the form input a refused request field belongs to (restore jobs name their own fields)
/**
 * Comma-separated table or column names, a comma inside [brackets] or "quotes" part of its name
 * ([dbo].[Orders, old] is one table): split at every comma, it was sent as '[dbo].[Orders' and
 * 'old]'. `]]` and `""` inside are the delimiter itself, as T-SQL writes it.
 */
function nameList(text) {
  const out = [];
  let cur = '';
  let close = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (close) {
      cur += c;
      if (c === close) {
        if (text[i + 1] === close) { cur += close; i++; } else close = null;
      }
    } else if (c === '[') { cur += c; close = ']'; }
    else if (c === '"') { cur += c; close = '"'; }
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

const FIELD_INPUT = { mdf: 'j-mdf', bak: 'j-bak', position: 'j-position', ldf: 'j-ldf', trn: 'j-trn', file: 'j-file', server: 'j-server', database: 'j-database', logBackups: 'j-logBackups', from: 'j-from', to: 'j-to', tables: 'j-tables', operations: 'j-tables', metadata: 'j-meta', 'metadata.ddl': 'j-meta', 'metadata.catalog': 'j-meta', 'metadata.allocUnit': 'j-alloc', 'metadata.allocUnits': 'j-alloc', acceptLayoutDrift: 'j-acceptLayoutDrift', acceptSchemaDrift: 'j-acceptSchemaDrift', kind: 'j-kind' };
const RESTORE_FIELD_INPUT = { bak: 'j-r-bak', position: 'j-r-position', afterPosition: 'j-r-afterPosition', trn: 'j-r-trn', stopAt: 'j-r-stopAt', stopBeforeLsn: 'j-r-stopBeforeLsn', afterMdf: 'j-r-afterMdf', afterBak: 'j-r-afterBak', afterTrn: 'j-r-afterTrn', afterStopAt: 'j-r-afterStopAt', afterStopBeforeLsn: 'j-r-afterStopBeforeLsn', table: 'j-r-table', tables: 'j-r-table', key: 'j-r-key', acceptOlderLater: 'j-r-acceptOlderLater', kind: 'j-kind' };
function markField(field) {
  const key = String(field ?? '').replace(/^body\./, '');
  const map = $('j-kind').value === 'restore' ? RESTORE_FIELD_INPUT : FIELD_INPUT;
  // the longest prefix the map names: `metadata.allocUnits.dbo.T` is the AllocUnitId field, not the metadata text
  const parts = key.split('.');
  let id;
  for (let n = parts.length; n > 0 && id === undefined; n--) id = map[parts.slice(0, n).join('.')];
  if (id) { $(id).setAttribute('aria-invalid', 'true'); $(id).focus(); }
}

async function submitJob(ev) {
  ev.preventDefault();
  for (const i of document.querySelectorAll('#job-form [aria-invalid]')) i.removeAttribute('aria-invalid');
  const msg = $('j-msg');
  let spec;
  try { spec = jobSpecFromForm(); } catch (e) { msg.textContent = e.message; markField(e.field); return; }
  $('j-submit').disabled = true;
  msg.textContent = '';
  try {
    const job = await api('/api/jobs', { method: 'POST', body: spec });
    $('j-server').value = ''; // the connection string is not kept in the page either
    await loadJobs();
    await openJob(job.id);
  } catch (e) {
    msg.textContent = `${e.body?.code ?? 'ERROR'}: ${e.message}`;
    markField(e.body?.field);
  } finally {
    $('j-submit').disabled = false;
  }
}

async function readMetaFile() {
  const f = $('j-meta-file').files[0];
  if (!f) return;
  // UTF-16 after its byte-order mark (SSMS's Generate Scripts, Windows PowerShell 5.1's Out-File),
  // else UTF-8: f.text() read a UTF-16 script as UTF-8, NUL bytes between its letters (as the CLI's readTextFile)
  const bytes = new Uint8Array(await f.arrayBuffer());
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  $('j-meta').value = new TextDecoder(encoding).decode(bytes);
  if (!$('j-meta-kind').value) $('j-meta-kind').value = /\.json$/i.test(f.name) ? 'catalog' : 'ddl';
}

// ------------------------------------------------------------------ cancel / resume (operators)

async function jobAction(action) {
  const msg = $('job-action-msg');
  const j = state.jobs.find((x) => x.id === state.jobId);
  let body;
  if (action === 'resume' && j && (j.kind === 'live' || j.kind === 'log-backup')) {
    // live specs are stored without their connection string: ask for it again
    const server = window.prompt(`Job #${j.id} reads a server; its connection string was not stored. Connection string to resume with:`);
    if (!server) return;
    body = { spec: { ...j.spec, server } };
  }
  try {
    await api(`/api/jobs/${state.jobId}/${action}`, { method: 'POST', body: body ?? {} });
    msg.classList.remove('error');
    msg.textContent = action === 'cancel' ? 'Cancelled; rows staged so far are kept.' : 'Resumed; rows already staged are not staged again.';
    await loadJobs();
  } catch (e) {
    msg.classList.add('error');
    msg.textContent = `${e.body?.code ?? 'ERROR'}: ${e.message}`;
  }
}

// ------------------------------------------------------------------ re-insert: dry run, confirm, run, progress

function download(name, text, type = 'application/sql;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The most of a run's script (and of its undo script) the page holds: its first 1 MiB (a few
 * thousand rows' INSERTs, read in the panel); the whole is downloaded (Download .sql).
 */
const SCRIPT_PREVIEW_BYTES = 1024 * 1024;

/**
 * The script panel's `kind` text ('script' or 'undo'): `shown` is `{ runId, text, cut, bytes }` (the
 * text as answered with previewBytes: its first SCRIPT_PREVIEW_BYTES when `cut`; `bytes` its whole
 * size) or null for none. A cut text says so above it (how much is shown of how much, and that
 * Download saves the whole). The page took a run's whole script into the browser: a 500 MB script
 * overwhelmed it.
 */
function showScriptText(kind, shown) {
  state.scriptText[kind] = shown;
  $(kind === 'undo' ? 'undo-script' : 'script').textContent = shown?.text ?? '';
  const note = $(kind === 'undo' ? 'undo-cut' : 'script-cut');
  note.hidden = !shown?.cut;
  note.textContent = shown?.cut ? `Showing the first ${fmtBytes(utf8Bytes(shown.text))} of this ${kind === 'undo' ? 'undo script' : 'script'}, ${fmtBytes(shown.bytes)} in all: Download ${kind === 'undo' ? 'undo ' : ''}.sql saves the whole.` : '';
  if (kind === 'script') {
    $('copy-script').disabled = !shown?.text;
    $('download-script').disabled = !shown?.text;
  } else {
    $('download-undo').disabled = !shown?.text;
  }
}

/** The UTF-8 size of `text` (what its preview holds). */
function utf8Bytes(text) {
  return new TextEncoder().encode(text).length;
}

/**
 * Download .sql (`kind` 'script') or Download undo .sql ('undo'): the text shown when it is whole,
 * else the whole text from GET /api/reinsert-runs/:id/script/:kind, read into a Blob (never one
 * string) and saved. Said on the copy line while it comes and when it fails.
 */
async function downloadScript(kind) {
  const shown = state.scriptText[kind];
  if (!shown) return;
  const name = `rowback-job${state.jobId}-${kind === 'undo' ? 'undo' : 'reinsert'}.sql`;
  if (!shown.cut) { download(name, shown.text); return; }
  sayCopied(`Downloading the whole ${kind === 'undo' ? 'undo script' : 'script'} (${fmtBytes(shown.bytes)})…`);
  let blob;
  try {
    const res = await fetch(`/api/reinsert-runs/${shown.runId}/script/${kind}`, { headers: { authorization: `Bearer ${state.token}` } });
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      if (res.status === 401) signOut(refusedText(body, res.status));
      throw new ApiError(res.status, body);
    }
    blob = await res.blob();
  } catch (e) {
    sayCopied(`Not downloaded — ${e.body?.code ?? 'ERROR'}: ${e.body?.message ?? e.message}`, 'warned');
    throw e;
  }
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  sayCopied(`Downloaded the whole ${kind === 'undo' ? 'undo script' : 'script'}: ${fmtBytes(blob.size)}.`);
}

/**
 * What Copy script says, on its own line (#copy-msg): said on the dry run's line, it replaced that
 * line (rows left out by code, another database) and forgot which dry run the line was of, so a
 * decision made after the copy no longer said the script shown (and copied) was out of date
 * (test/e2e/review-dry-run-copy.test.ts).
 */
function sayCopied(text, tone = 'ok') {
  const m = $('copy-msg');
  m.textContent = text;
  m.classList.toggle('warned', tone === 'warned');
}

async function copyScript() {
  // a preview is not the script: copied, it read as the whole (its rows past the preview never run)
  const shown = state.scriptText.script;
  if (shown?.cut) {
    sayCopied(`Not copied: the page shows the script's first ${fmtBytes(SCRIPT_PREVIEW_BYTES)} only, of ${fmtBytes(shown.bytes)}; Download .sql saves the whole script.`, 'warned');
    return;
  }
  const text = $('script').textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // no clipboard permission: select the text so Ctrl+C copies it
    const r = document.createRange(); r.selectNodeContents($('script'));
    const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    sayCopied('The browser refused the clipboard; the script is selected: press Ctrl+C.', 'warned');
    return;
  }
  sayCopied(`Copied ${text.length.toLocaleString()} characters.`);
}

function targetLabel(name) {
  const t = state.info?.targets.find((x) => x.name === name);
  return t ? `${t.name} (${[t.server, t.database].filter(Boolean).join(' / ') || (t.server === undefined ? 'server shown to operators' : 'server not named')})` : name;
}

async function confirmRun() {
  const d = state.lastDryRun;
  if (!d) return;
  // the run into another database than the rows were read from is confirmed with the warning in view (acceptOtherDatabase)
  $('confirm-text').textContent = `${d.otherDatabase ? `${d.otherDatabase} — ` : ''}Insert ${d.rows.toLocaleString()} approved row(s) of job #${state.jobId} into ${targetLabel(d.targetName)}, in ${d.batches} batch(es), each its own transaction. Rows whose key, or value of another unique index, already exists there are left alone (conflicts).`;
  $('confirm-input').value = '';
  $('confirm-msg').textContent = '';
  $('confirm').showModal();
  $('confirm-input').focus();
}

async function runReinsert() {
  const d = state.lastDryRun;
  if ($('confirm-input').value.replace(/[ ,.]/g, '') !== String(d.rows)) {
    $('confirm-msg').textContent = `Type ${d.rows} to confirm.`;
    return;
  }
  $('confirm').close();
  try {
    const run = await api(`/api/jobs/${state.jobId}/reinsert`, { method: 'POST', body: { dryRun: false, targetName: d.targetName, ...(d.rowIds?.length ? { rowIds: d.rowIds } : {}), ...(d.otherDatabase ? { acceptOtherDatabase: true } : {}) } });
    offerRun(false);
    watchRun(run.id);
  } catch (e) {
    sayDryRun(`${e.body?.code ?? 'ERROR'}: ${e.message}`, 'error');
  }
}

function renderRun(run) {
  $('run-panel').hidden = false;
  const total = run.batches.length;
  const done = run.batches.filter((b) => b.state !== 'planned').length;
  $('run-title').textContent = `Re-insert run #${run.id} into ${run.target?.name ?? run.target?.database ?? 'the target'}: ${run.state}`;
  $('run-bar').style.width = `${total ? Math.round((done / total) * 100) : run.state === 'succeeded' ? 100 : 0}%`;
  const o = run.outcomes;
  // rows a tableMap sent to side tables are not back in their own tables: said, with the tables
  // (a run recorded before staging migration 12, leftApproved false, marked them re-inserted all the same)
  const side = (run.sideTables ?? []).filter((s) => s.inserted > 0 && s.leftApproved !== false);
  const marked = (run.sideTables ?? []).filter((s) => s.inserted > 0 && s.leftApproved === false);
  $('run-status').textContent = `${done.toLocaleString()} of ${total.toLocaleString()} batch(es) done · ${o.inserted.toLocaleString()} inserted · ${o.conflict.toLocaleString()} conflict(s) · ${o.error.toLocaleString()} error(s)`
    + (side.length ? ` · of the inserted, ${side.map((s) => `${s.inserted.toLocaleString()} into side table ${s.tableText ?? s.table}`).join(', ')}: those rows stay approved, not back in their own table (a run without that tableMap puts them back)` : '')
    + (marked.length ? ` · of the inserted, ${marked.map((s) => `${s.inserted.toLocaleString()} into side table ${s.tableText ?? s.table}`).join(', ')}: a rowback before side-table runs left rows approved marked those rows re-inserted, though this run put them into the side table only (the SQL export of status=reinserted puts them into their own table)` : '');
  replaceWith($('run-batches'), [el('tr', {}, ...['batch', 'state', 'rows', 'inserted', 'conflicts', 'errors', `committed (${state.info?.timeZone ?? 'UTC'})`].map((h) => el('th', { text: h }))),
    ...run.batches.map((b) => el('tr', { 'data-batch': String(b.batchNo) }, ...[b.batchNo, b.state, b.rows, b.inserted, b.conflict, b.error, fmtInstant(b.committedAt)].map((v) => el('td', { text: String(v ?? '') }))))]);
  renderRunEnd(run);
}

/** The run's target as the run itself recorded it (never the target chosen in the form): name, server (operators), database, ledger. */
function runTargetText(t) {
  if (!t?.name) return 'a connection given in the request';
  const where = [t.server ? `server ${t.server}` : '', t.database ? `database ${t.database}` : '', t.ledgerTable ? `ledger ${t.ledgerTable}` : ''].filter(Boolean).join(', ');
  return `target '${t.name}'${where ? ` (${where})` : ''}`;
}

// Why a failed or interrupted real run stopped (its error; each failed batch's error, whose message
// only operators are sent), what is left, and its Resume for operators: into the run's own target.
function renderRunEnd(run) {
  const ended = !run.dryRun && ['failed', 'interrupted'].includes(run.state);
  const failed = run.batches.filter((b) => b.state === 'failed');
  const err = $('run-error');
  err.hidden = !ended;
  if (ended) {
    const why = run.error ? `${run.error.code} — ${run.error.message}` : failed.length ? `${failed.length.toLocaleString()} batch(es) failed; their rows were not inserted` : '';
    err.textContent = run.state === 'interrupted'
      ? 'This run was interrupted (the server stopped while it ran): batches not committed did not run.'
      : `This run failed${why ? `: ${why}` : ''}.`;
  }
  const list = $('run-failed-batches');
  list.hidden = !ended || failed.length === 0;
  replaceWith(list, (ended ? failed : []).map((b) => el('li', { 'data-batch': String(b.batchNo), text: `batch ${b.batchNo} (${b.rows.toLocaleString()} row(s)): ${failureText(b.failure)}` })));
  const left = run.remaining;
  const leftText = $('run-left');
  leftText.hidden = !ended || !left;
  if (ended && left && left.rows === 0) {
    // a crash after its last batch committed, before the run recorded its end: no undo script yet
    leftText.textContent = 'Every batch was committed before the run stopped; resuming it inserts nothing, records its end and writes its undo script from its ledger.'
      + (run.target?.name ? '' : ` Started with a connection given in the request: resume it through the API (POST /api/reinsert-runs/${run.id}/resume) with that same connection.`);
  } else if (ended && left) {
    leftText.textContent = `${left.rows.toLocaleString()} row(s) in ${left.batches} batch(es) not yet committed${left.notApproved ? `; ${left.notApproved.toLocaleString()} of them no longer approved (their batch(es) would fail again)` : ''}${left.elsewhere ? `; ${left.elsewhere.toLocaleString()} of them already put back by another job's re-insert run into the same table (their batch(es) would fail again: never twice)` : ''}${left.inSideTable ? `; ${left.inSideTable.toLocaleString()} of them already put into the same side table by another run of this job (their batch(es) would fail again: never twice)` : ''}.`
      + (run.target?.name ? '' : ` Started with a connection given in the request: the page resumes only runs into a configured target; resume it through the API (POST /api/reinsert-runs/${run.id}/resume) with that same connection.`);
    // "not yet committed" is what staging recorded: the batch the run was sending when it stopped
    // may be in the target all the same, and a decision on its rows is refused as maybe back in the
    // table (STAGING_DECISION_RUN_ACTIVE); said here, with who can settle it
    const doubt = left.mayBeIn;
    if (doubt?.rows) {
      leftText.textContent += ` Batch(es) ${doubt.batches.join(', ')} (${doubt.rows.toLocaleString()} row(s)) may have committed in the target without the run recording it (it stopped while sending them): no decision changes those rows until the run is resumed, which reads the target's ledger first (rows found there become re-inserted; a batch not found there then runs, and its rows, still approved, go in too; its undo deletes either)${state.me?.role === 'operator' ? '' : '; only an operator resumes a run'}.`;
    }
    // rows of such a batch the run's tableMap sends to a side table: not held (a side table leaves
    // them as decided), but they may be in that table already; the page named none of them
    const sideDoubt = left.mayBeInSideTable;
    if (sideDoubt?.rows) {
      leftText.textContent += ` Batch(es) ${sideDoubt.batches.join(', ')} may have put ${sideDoubt.rows.toLocaleString()} row(s) into side table(s) ${sideDoubt.tables.map((t) => `${t.table} (${t.rows.toLocaleString()})`).join(', ')} without the run recording it (it stopped while sending them): they stay as decided (a side table leaves a row approved); a resume reads the target's ledger first and records them.`;
    }
  }
  const btn = $('run-resume');
  const canResume = ended && state.me?.role === 'operator' && Boolean(run.target?.name) && Boolean(left) && (left.rows > 0 || run.state === 'interrupted');
  btn.hidden = !canResume;
  if (canResume) {
    const configured = state.info?.targets.find((t) => t.name === run.target.name);
    const blocked = !configured ? `target '${run.target.name}' is no longer configured on the server` : !configured.ready ? `target '${run.target.name}' is not ready: its variable is unset on the server` : '';
    btn.disabled = Boolean(blocked);
    btn.title = blocked || `resume into ${runTargetText(run.target)}`;
    // said in the page, not only in the disabled button's tooltip
    if (blocked) leftText.textContent += ` It cannot resume now: ${blocked}.`;
  }
}

function confirmResume() {
  const run = state.shownRun;
  if (!run?.remaining) return;
  const left = run.remaining;
  $('resume-text').textContent = left.rows === 0
    ? `Resume run #${run.id} of job #${run.jobId} with its own ${runTargetText(run.target)}: every batch was committed, nothing is inserted; the run records its end and writes its undo script from its ledger.`
    : `Resume run #${run.id} of job #${run.jobId} into its own ${runTargetText(run.target)}: ${left.rows.toLocaleString()} row(s) in ${left.batches} batch(es) not yet committed, each batch its own transaction. Batches already committed are not run again; rows whose key, or value of another unique index, already exists there are left alone (conflicts).`;
  const warn = $('resume-warn');
  const again = [
    left.notApproved ? `${left.notApproved.toLocaleString()} of these rows are no longer approved` : '',
    left.elsewhere ? `${left.elsewhere.toLocaleString()} of these rows were already put back by another job's re-insert run into the same table (never twice)` : '',
    left.inSideTable ? `${left.inSideTable.toLocaleString()} of these rows were already put into the same side table by another run of this job (never twice)` : '',
  ].filter(Boolean);
  warn.hidden = !again.length;
  warn.textContent = again.length ? `${again.join('; ')}: their batch(es) will not run and the run will end failed again. For the other rows, a new run (dry run first) is the way.` : '';
  $('resume-input').value = '';
  $('resume-msg').textContent = '';
  $('resume-confirm').showModal();
  $('resume-input').focus();
}

async function resumeRun() {
  const run = state.shownRun;
  if (!run?.remaining) return;
  if ($('resume-input').value.replace(/[ ,.]/g, '') !== String(run.remaining.rows)) {
    $('resume-msg').textContent = `Type ${run.remaining.rows} to confirm.`;
    return;
  }
  $('resume-confirm').close();
  const msg = $('run-msg');
  $('run-resume').disabled = true;
  try {
    // the run's own target, by the name it ran with: never the one chosen in the form
    await api(`/api/reinsert-runs/${run.id}/resume`, { method: 'POST', body: { targetName: run.target.name } });
    msg.classList.remove('error');
    msg.textContent = `Resumed run #${run.id} into ${runTargetText(run.target)}; its progress shows above.`;
    watchRun(run.id, { keepMessage: true });
  } catch (e) {
    // a refusal (another target than the run's, a run already running, not resumable) is its one line
    msg.classList.add('error');
    msg.textContent = `Not resumed — ${e.body?.code ?? 'ERROR'}: ${e.body?.message ?? e.message}`;
    $('run-resume').disabled = false;
  }
}

function watchRun(runId, o = {}) {
  clearInterval(state.runPoll);
  if (!o.keepMessage && state.shownRun?.id !== runId) { $('run-msg').textContent = ''; $('run-msg').classList.remove('error'); }
  state.shownRun = { id: runId };
  const tick = async () => {
    const run = await api(`/api/reinsert-runs/${runId}`);
    if (state.shownRun?.id !== runId) return; // another run (or job) was opened meanwhile
    state.shownRun = run;
    renderRun(run);
    if (run.state !== 'running' && run.state !== 'planned') {
      clearInterval(state.runPoll);
      const s = await api(`/api/reinsert-runs/${runId}/script?previewBytes=${SCRIPT_PREVIEW_BYTES}`);
      // an earlier dry run opened meanwhile keeps its own undo script beside its script
      if (s.undoScript && state.shownRun?.id === runId && (state.earlierDryRun === null || state.earlierDryRun === undefined)) showScriptText('undo', { runId, text: s.undoScript, cut: s.undoScriptCut, bytes: s.undoScriptBytes });
      loadRuns().catch(() => {});
      loadPage({ recount: true }).catch(() => {});
      refreshBlast(run.jobId).catch(() => {});
    }
  };
  tick().catch(() => {});
  state.runPoll = setInterval(() => tick().catch(() => {}), 1000);
}

/**
 * An earlier dry run's script and undo script in the script panel, as generated then: rows decided
 * since are not in it, and it offers no Run (a run inserts the script just generated against a target).
 */
async function showDryRunScript(run) {
  const jobId = state.jobId;
  // the newest click wins: two rows clicked in turn showed whichever script answered last
  const ask = (state.scriptAsk = (state.scriptAsk ?? 0) + 1);
  const s = await api(`/api/reinsert-runs/${run.id}/script?previewBytes=${SCRIPT_PREVIEW_BYTES}`);
  if (state.jobId !== jobId || state.scriptAsk !== ask) return;
  state.earlierDryRun = run.id;
  state.lastDryRun = null;
  offerRun(false);
  showNotScripted([]);
  showJobWarning(null);
  showScriptText('script', s.script === null ? null : { runId: run.id, text: s.script, cut: s.scriptCut, bytes: s.scriptBytes });
  showScriptText('undo', s.undoScript === null ? null : { runId: run.id, text: s.undoScript, cut: s.undoScriptCut, bytes: s.undoScriptBytes });
  sayDryRun(`showing dry run #${run.id} of ${fmtInstant(run.createdAt)} by ${run.actor}, as generated then: rows decided since are not in it; Generate dry-run script for the rows approved now`, 'warned');
}

/**
 * A real run's row clicked: its panel, and its undo script once it has ended. An earlier dry run's
 * script shown (showDryRunScript) is taken away first: the page said 'showing dry run #3 … as
 * generated then' above dry run #3's script while the undo panel (and Download undo) took the real
 * run's undo script, a pair of two runs read as one.
 */
function showRealRun(runId) {
  state.scriptAsk = (state.scriptAsk ?? 0) + 1;
  if (state.earlierDryRun !== null && state.earlierDryRun !== undefined) clearScriptPanel();
  watchRun(runId);
}

function clearScriptPanel() {
  state.earlierDryRun = null;
  showScriptText('script', null);
  showScriptText('undo', null);
  sayDryRun('');
}

async function loadRuns() {
  const jobId = state.jobId;
  // the newest list alone is drawn: the opening's list answered after a dry run's list left that dry run out of the table
  const asked = (state.runsAsked = (state.runsAsked ?? 0) + 1);
  const { items } = await api(`/api/jobs/${jobId}/reinsert-runs`);
  // another job opened meanwhile: its runs table (and its failed run, with a Resume) are not this one's
  if (state.jobId !== jobId || state.runsAsked !== asked) return;
  replaceWith($('runs'), [el('tr', {}, ...['run', 'kind', 'by', `created (${state.info?.timeZone ?? 'UTC'})`, 'target', 'state', 'rows', 'inserted', 'conflicts', 'errors', 'left out'].map((h) => el('th', { text: h, ...(h === 'left out' ? { title: "approved rows the run's plan left out: they cannot go back (each with its reason in the script's header)" } : {}) }))),
    ...items.map((r) => {
      const tr = el('tr', { 'data-run': String(r.id), class: 'clickable', title: r.dryRun ? "show this dry run's script and undo script, as generated then" : 'show this run (its batches; why it failed)' }, ...[r.id, r.dryRun ? 'dry run' : 'run', r.actor, fmtInstant(r.createdAt), (r.target?.name ?? r.target?.database ?? '—') + ((r.sideTables ?? []).length ? ` (side table ${r.sideTables.map((s) => s.tableText ?? s.table).join(', ')}${r.sideTables.every((s) => s.leftApproved !== false) ? ': rows stay approved' : ''})` : ''),
        r.error ? `${r.state} (${r.error.code})` : r.state,
        // the approved rows its plan left out (summary.problems): a dry run of rows that cannot go back read
        // 'succeeded 0 0 0 0', as if there were none approved
        r.plannedRows ?? r.summary?.rows ?? '', r.outcomes.inserted, r.outcomes.conflict, r.outcomes.error, r.summary?.problems ?? ''].map((v) => el('td', { text: String(v) })));
      // an earlier dry run's script was reachable through the API alone (GET /api/reinsert-runs/:id/script)
      return activatable(tr, null, () => (r.dryRun ? showDryRunScript(r) : showRealRun(r.id)));
    })]);
  // a job whose newest real run failed or was interrupted shows it (why, and its Resume) without a click
  const newest = items.find((r) => !r.dryRun);
  if (!state.shownRun && newest && ['failed', 'interrupted'].includes(newest.state)) watchRun(newest.id);
}

// ------------------------------------------------------------------ wiring

$('login-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('token').value.trim()); });
$('logout').addEventListener('click', () => signOut());
$('filters').addEventListener('submit', (ev) => { ev.preventDefault(); resetPaging(); });
$('next-page').addEventListener('click', () => { if (!state.next) return; state.cursors[state.page + 1] = state.next; state.page++; loadPage(); });
$('first-page').addEventListener('click', () => { state.page = 0; loadPage(); });
// the page before: its cursor was kept when the grid went past it (same filter: applying another resets them)
$('prev-page').addEventListener('click', () => { if (state.page === 0) return; state.page--; loadPage(); });
$('export-csv').addEventListener('click', () => { exportCsv(); });
$('approve-selected').addEventListener('click', () => decide('approve', 'ids'));
$('reject-selected').addEventListener('click', () => decide('reject', 'ids'));
$('approve-filter').addEventListener('click', () => decide('approve', 'filter'));
$('reject-filter').addEventListener('click', () => decide('reject', 'filter'));
$('detail-close').addEventListener('click', () => {
  // a row's answer still on its way does not open the pane again (openRow)
  state.rowAsked = (state.rowAsked ?? 0) + 1;
  $('detail').hidden = true;
  $('rows-area').classList.remove('with-detail');
  const was = state.openRowId;
  state.openRowId = null;
  for (const tr of $('grid-body').children) tr.classList.remove('open');
  // back to the row the detail was of, so a keyboard user goes on from where they were
  $('grid-body').querySelector(`tr[data-row="${was}"]`)?.focus();
});
$('dry-run').addEventListener('click', dryRun);
$('target').addEventListener('change', () => { state.lastDryRun = null; offerRun(false); dropDryRunOnItsWay('the target changed'); });
$('table-order').addEventListener('input', () => { state.lastDryRun = null; offerRun(false); dropDryRunOnItsWay('the table order changed'); });
$('copy-script').addEventListener('click', () => { copyScript(); });
$('download-script').addEventListener('click', () => { downloadScript('script').catch(() => {}); });
$('download-undo').addEventListener('click', () => { downloadScript('undo').catch(() => {}); });
$('run-reinsert').addEventListener('click', confirmRun);
$('run-resume').addEventListener('click', confirmResume);
$('resume-go').addEventListener('click', () => { resumeRun(); });
$('resume-input').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); resumeRun(); } });
$('confirm-go').addEventListener('click', runReinsert);
$('confirm-input').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); runReinsert(); } });
$('new-job').addEventListener('click', showCreate);
$('j-kind').addEventListener('change', showKindFields);
$('j-cancel').addEventListener('click', () => { $('create').hidden = true; $('job').hidden = !state.jobId; });
$('job-form').addEventListener('submit', submitJob);
$('j-meta-file').addEventListener('change', () => { readMetaFile(); });
$('job-cancel').addEventListener('click', () => jobAction('cancel'));
$('job-resume').addEventListener('click', () => jobAction('resume'));
for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => showTab(b.dataset.tab));

// a reload: the tab's token signs in again; refused, the form says why (it was blank)
if (state.token) signIn(state.token, { reload: true }).then((ok) => { if (!ok) signOut($('login-error').textContent); });
else signOut();
