// WelfareAudit supervisor page (ES module): the supervisor's start page in the same PWA as the phone page.
// It is shown only to the Supervisor role: the page cannot read the sign-in's roles (App Service
// Authentication keeps them in a header the browser never sees), so it asks GET /api/oversight, which only
// a supervisor may read, and shows itself when that answers 200. A user with both roles sees the therapist's
// views and this one; for anyone else the views are not even in the page (they wait in a <template>).
// Overview (counts, overdue, escalations, rarity) from /api/oversight, the verification status per therapist
// from /api/ledger/verify; the queue and the export are in their own modules.

import { getJson, failureText, formatTime, plural, el } from './supervisor-api.js';
import { createQueue, flag } from './supervisor-queue.js';
import { createExport } from './supervisor-export.js';

const $ = (sel, root = document) => root.querySelector(sel);
const root = $('#supervisor-start');
const therapists = new Set();

/** Keeps both therapist choices (queue filter, export) in step with every therapist id seen. */
function addTherapists(ids) {
  let added = false;
  for (const id of ids) {
    if (id && !therapists.has(id)) { therapists.add(id); added = true; }
  }
  if (!added) { return; }
  const sorted = [...therapists].sort();
  for (const select of document.querySelectorAll('.sv-therapist-choice')) {
    const chosen = select.value;
    const first = select.options[0];
    select.replaceChildren(first, ...sorted.map(id => el('option', id, { value: id })));
    select.value = chosen;
  }
}

/** One row of a list: a title line (reference, flags) and a line of facts. */
function row(title, facts, flags, testId) {
  const li = el('li', null, { class: 'sv-row', 'data-testid': testId });
  const head = el('p', null, { class: 'sv-row-title' });
  head.append(el('span', title, { class: 'mono' }), ...flags.map(f => [' ', f]).flat());
  const body = el('p', null, { class: 'sv-row-facts' });
  facts.forEach(([term, value, mono], i) => {
    if (i) { body.append(' · '); }
    body.append(`${term} `, el('span', value, mono ? { class: 'mono' } : {}));
  });
  li.append(head, body);
  return li;
}

function daysBetween(fromIso, toIso) {
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 86400000) : 0;
}

function renderOversight(data) {
  const overdue = Array.isArray(data.overdue) ? data.overdue : [];
  const escalations = Array.isArray(data.escalations) ? data.escalations : [];
  const rarity = data.rarity || {};
  const perTherapist = Array.isArray(rarity.therapists) ? rarity.therapists : [];
  const perClient = Array.isArray(rarity.clients) ? rarity.clients : [];
  const flagged = perTherapist.filter(t => t.over).length + perClient.filter(c => c.over).length;

  $('#sv-summary').textContent = [
    `${plural(data.awaitingReview || 0, 'search waits', 'searches wait')} for review`,
    `${plural(overdue.length, 'discussion', 'discussions')} overdue`,
    `${plural(escalations.length, 'escalation', 'escalations')} sent`,
    `${plural(flagged, 'rarity flag', 'rarity flags')}`,
  ].join(' · ') + `. As of ${formatTime(data.asOf)}.`;

  // Overdue: how long after the session, counted on the server's clock (asOf), not the browser's.
  $('#sv-overdue-status').textContent = overdue.length ? `${plural(overdue.length, 'search', 'searches')} overdue.` : 'Nothing is overdue.';
  $('#sv-overdue-list').replaceChildren(...overdue.map(o => {
    const days = o.nextSessionAt ? daysBetween(o.nextSessionAt, data.asOf) : 0;
    return row(o.reference, [
      ['Therapist', o.therapist, true],
      ['session', o.nextSessionAt ? `${formatTime(o.nextSessionAt)} (${days < 1 ? 'less than a day' : plural(days, 'day', 'days')} ago)` : 'never set'],
      ['reminders', String(o.remindersSent || 0)],
    ], [flag('Overdue', 'warn'), ...(o.escalated ? [flag('Escalated', 'warn')] : [])], 'sv-overdue-item');
  }));

  $('#sv-escalations-status').textContent = escalations.length ? `${plural(escalations.length, 'escalation', 'escalations')} sent.` : 'No escalations were sent.';
  $('#sv-escalations-list').replaceChildren(...escalations.map(e => row(e.reference, [
    ['Therapist', e.therapist, true],
    ['sent', formatTime(e.sentAt)],
  ], [], 'sv-escalation-item')));

  $('#sv-rarity-rule').textContent =
    `Searching for a client is meant to be extremely rare. Flagged: more than ${plural(rarity.perClientThreshold || 0, 'search', 'searches')} ` +
    `for one client within 365 days, or more than ${rarity.perTherapistThreshold || 0} by one therapist in a calendar quarter. ` +
    'Counted over the last 12 months.';
  const overFirst = (a, b) => Number(Boolean(b.over)) - Number(Boolean(a.over));
  $('#sv-rarity-therapists').replaceChildren(...(perTherapist.length ? [...perTherapist].sort(overFirst).map(t => row(t.therapist,
    [['searches', String(t.searches)]], t.over ? [flag('Over the limit', 'warn')] : [], 'sv-rarity-therapist')) : [el('li', 'No searches in the last 12 months.', { class: 'hint' })]));
  $('#sv-rarity-clients').replaceChildren(...(perClient.length ? [...perClient].sort(overFirst).map(c => row(c.client,
    [['therapist', c.therapist, true], ['searches', String(c.searches)]], c.over ? [flag('Over the limit', 'warn')] : [], 'sv-rarity-client')) : [el('li', 'No searches in the last 12 months.', { class: 'hint' })]));

  // Rows that fail an integrity check are left out by the server, and named: never silently missing.
  const unreadable = Array.isArray(data.unreadable) ? data.unreadable : [];
  const damaged = $('#sv-unreadable');
  damaged.hidden = !unreadable.length;
  damaged.textContent = unreadable.length
    ? `Left out because their stored rows fail an integrity check: ${unreadable.map(u => `ledger ${u.ledger}, sequence ${u.sequence} (${u.kind})`).join('; ')}. Verify the ledgers below.`
    : '';

  addTherapists([...overdue, ...escalations, ...perTherapist, ...perClient].map(x => x.therapist));
}

async function loadLedgers() {
  const status = $('#sv-ledgers-status');
  status.textContent = 'Verifying…';
  const result = await getJson('api/ledger/verify');
  if (!result.ok) {
    status.textContent = failureText(result, 'the verification');
    return;
  }
  const ledgers = Array.isArray(result.data.ledgers) ? result.data.ledgers : [];
  const broken = ledgers.filter(l => l.problem);
  status.textContent = !ledgers.length
    ? 'No ledgers yet.'
    : broken.length
      ? `${plural(broken.length, 'ledger fails', 'ledgers fail')} verification, of ${plural(ledgers.length, 'ledger', 'ledgers')}. Checked ${formatTime(new Date().toISOString())}.`
      : `All ${plural(ledgers.length, 'ledger', 'ledgers')} verified. Checked ${formatTime(new Date().toISOString())}.`;
  $('#sv-ledgers-list').replaceChildren(...ledgers.map(l => {
    const facts = [['events', String(l.events)], ['head', String(l.headHash || '').slice(0, 16), true]];
    if (l.problem) {
      facts.push(['problem', `${l.problem.kind} at sequence ${l.problem.sequence}: ${l.problem.detail}`]);
    }
    const item = row(l.id, facts, [l.problem ? flag('Fails verification', 'error') : flag('Verified', 'ok')], 'sv-ledger');
    item.dataset.ledger = String(l.id);
    return item;
  }));
  addTherapists(ledgers.map(l => l.id));
}

let queue = null;
let supervisor = false;                     // GET /api/oversight answered 200

/** Puts the supervisor's views into the page, once: they exist only for a supervisor. */
function mount() {
  if (queue) { return; }
  const views = $('#supervisor-template').content.cloneNode(true);
  const intro = root.querySelector('.card');           // the start page's own card: the summary goes into it
  if (intro) { intro.append($('#sv-head', views)); }
  root.append(views);
  queue = createQueue({ onReviewed: () => loadOversight(), onTherapists: addTherapists });
  createExport({ onExported: () => loadOversight() });
  $('#sv-refresh').addEventListener('click', () => loadAll());
  $('#sv-verify').addEventListener('click', () => loadLedgers());
}

/** Shows the supervisor's page when the caller may read the oversight; answers whether it did. */
async function loadOversight() {
  const result = await getJson('api/oversight');
  if (result.ok) {
    mount();
    supervisor = true;
    root.hidden = false;
    $('#supervisor-tab').hidden = false;
    renderOversight(result.data);
    return true;
  }
  if (result.problem && (result.problem.status === 403 || result.problem.status === 404)) {
    supervisor = false;
    root.hidden = true;                     // not a supervisor (404: a host without the oversight API)
    $('#supervisor-tab').hidden = true;
    return false;
  }
  if (queue) { $('#sv-summary').textContent = failureText(result, 'the overview'); }
  return false;
}

// Verification walks every ledger from its first event, so it runs when the page first shows and on
// "Verify again", not on every refresh.
let verified = false;

async function loadAll() {
  if (await loadOversight()) {
    const first = !verified;
    verified = true;
    await Promise.all([queue.load(true), first ? loadLedgers() : null]);
  }
}

// Back from a view of one search (detail.js hides the start page while it shows one): the page again.
window.addEventListener('hashchange', () => {
  if (supervisor && !/^#(search|sheet)\//.test(location.hash)) { root.hidden = false; }
});
window.addEventListener('online', () => loadAll());
loadAll();
