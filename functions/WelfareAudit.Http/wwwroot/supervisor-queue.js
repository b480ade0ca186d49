// WelfareAudit supervisor page: the review queue (GET /api/reviews, oldest first, paged with `next`), the
// search as the therapist logged it (GET /api/searches/{id}, without the client code), and the review form
// (POST /api/searches/{id}/review with an Idempotency-Key). ES module; no client data in browser storage.

import {
  send, getJson, readProblem, failureText, newIdempotencyKey, formatTime, plural, el, announce, showFieldError, clearFieldErrors,
  RISK_TEXT, STATUS_TEXT, OUTCOME_TEXT,
} from './supervisor-api.js';

const PAGE_SIZE = 20;
const CHANNEL_TEXT = { missedAppointment: 'Missed appointment', phone: 'Phone', email: 'Email', emergencyContact: 'Emergency contact', other: 'Other' };
const SOURCE_TEXT = { searchEngine: 'Search engine', blog: 'Blog', facebook: 'Facebook', twitterX: 'Twitter / X', linkedIn: 'LinkedIn', other: 'Other' };

const $ = (sel, root = document) => root.querySelector(sel);

/** A refusal because the supervisor made the search themselves (a user with both roles). */
function isOwnSearchRefusal(problem) {
  return problem.status === 403 && /own/i.test(`${problem.detail} ${problem.title}`);
}

/** A small flag with visible text (never colour alone). */
export function flag(text, kind) {
  return el('span', text, { class: `sv-flag ${kind || ''}`.trim(), 'data-testid': 'sv-flag' });
}

/**
 * The queue. `onReviewed` runs after a review was saved (to refresh the counts); `onTherapists` receives
 * the therapist ids seen, for the filter choices.
 */
export function createQueue({ onReviewed, onTherapists }) {
  const list = $('#sv-queue-list');
  const status = $('#sv-queue-status');
  const more = $('#sv-more');
  const filters = $('#sv-filters');
  const template = $('#sv-item-template');
  let next = null;
  let loading = 0;
  let seq = 0;
  let ownTherapist = null;         // learnt from a 403 "own search": the signed-in user's own ledger id

  function query(continuation) {
    const q = new URLSearchParams();
    const therapist = $('#sv-filter-therapist').value;
    const risk = $('#sv-filter-risk').value;
    if (therapist) { q.set('therapist', therapist); }
    if (risk) { q.set('risk', risk); }
    if ($('#sv-filter-overdue').checked) { q.set('overdue', 'true'); }
    q.set('pageSize', String(PAGE_SIZE));
    if (continuation) { q.set('continuation', continuation); }
    return `api/reviews?${q}`;
  }

  function filtered() {
    return Boolean($('#sv-filter-therapist').value || $('#sv-filter-risk').value || $('#sv-filter-overdue').checked);
  }

  function describeCount(message) {
    const shown = list.children.length;
    let text;
    if (shown === 0) {
      text = filtered() ? 'No search waiting for review matches these filters.' : 'No searches wait for review.';
    } else {
      text = `${plural(shown, 'search', 'searches')} shown, oldest first.${next ? ' More can be loaded.' : ''}`;
    }
    status.textContent = message ? `${message} ${text}` : text;
    more.hidden = !next;
  }

  /** Loads the first page (reset) or the next one ("Load more"). */
  async function load(reset, message) {
    const token = ++loading;
    if (reset) { next = null; }
    status.textContent = 'Loading…';
    more.disabled = true;
    const result = await getJson(query(reset ? null : next));
    more.disabled = false;
    if (token !== loading) { return; }
    if (!result.ok) {
      status.textContent = failureText(result, 'the searches to review');
      return;
    }
    const items = Array.isArray(result.data.items) ? result.data.items : [];
    next = typeof result.data.next === 'string' && result.data.next ? result.data.next : null;
    const nodes = items.map(render);
    if (reset) { list.replaceChildren(...nodes); } else { list.append(...nodes); }
    onTherapists(items.map(i => i.therapist));
    const unreadable = Array.isArray(result.data.unreadable) ? result.data.unreadable.length : 0;
    describeCount(unreadable ? `${plural(unreadable, 'search was', 'searches were')} left out: stored rows fail an integrity check (see Ledger verification).${message ? ` ${message}` : ''}` : message);
    if (!reset && nodes.length) { $('.item-title', nodes[0]).focus(); }
  }

  function render(item) {
    const li = template.content.firstElementChild.cloneNode(true);
    const n = ++seq;
    li.dataset.id = String(item.id);
    li.dataset.therapist = String(item.therapist || '');
    li.setAttribute('data-reference', String(item.reference || ''));
    const title = $('.item-title', li);
    title.id = `sv-item-${n}-title`;
    title.tabIndex = -1;
    $('article', li).setAttribute('aria-labelledby', title.id);
    $('.sv-ref', li).textContent = String(item.reference || '');
    $('.sv-therapist', li).textContent = String(item.therapist || '');
    $('.sv-risk', li).textContent = RISK_TEXT[item.risk] || String(item.risk || '');
    $('.sv-occurred', li).textContent = formatTime(item.occurredAt);
    $('.sv-logged', li).textContent = formatTime(item.loggedAt);
    $('.sv-status', li).textContent = STATUS_TEXT[item.status] || String(item.status || '');
    $('.sv-next', li).textContent = item.nextSessionAt ? formatTime(item.nextSessionAt) : 'Not set';
    $('.sv-reminders', li).textContent = String(item.remindersSent || 0);
    if (item.discussedAt) { $('.sv-discussed', li).textContent = formatTime(item.discussedAt); } else { $('.sv-discussed-row', li).hidden = true; }
    const flags = $('.sv-flags', li);
    if (item.overdue) { flags.append(flag('Discussion overdue', 'warn')); }
    if (item.escalated) { flags.append(flag('Escalated', 'warn')); }
    flags.hidden = !flags.childElementCount;

    const reference = String(item.reference || '');
    const read = $('.sv-read', li);
    $('summary', read).append(el('span', ` ${reference}`, { class: 'visually-hidden' }));
    read.addEventListener('toggle', () => { if (read.open && !read.dataset.loaded) { loadSearch(item, $('.sv-read-body', li), read); } });

    const review = $('.sv-review', li);
    $('summary', review).append(el('span', ` ${reference}`, { class: 'visually-hidden' }));
    const form = $('.sv-review-form', li);
    const outcome = $('.sv-outcome', form);
    outcome.setAttribute('role', 'radiogroup');
    outcome.setAttribute('aria-required', 'true');
    outcome.id = `sv-item-${n}-outcome`;
    for (const [i, radio] of [...form.querySelectorAll('input[type="radio"]')].entries()) {
      radio.name = `sv-item-${n}-outcome`;
      radio.id = `sv-item-${n}-outcome-${i}`;
      radio.nextElementSibling.htmlFor = radio.id;
    }
    const note = $('.f-note', form);
    note.id = `sv-item-${n}-note`;
    $('.l-note', form).htmlFor = note.id;
    const hint = $('.sv-note-hint', form);
    hint.id = `sv-item-${n}-note-hint`;
    note.setAttribute('aria-describedby', hint.id);
    form.addEventListener('submit', e => submitReview(e, item, li));
    if (ownTherapist && item.therapist === ownTherapist) { markOwn(li); }
    return li;
  }

  function markOwn(li) {
    $('.sv-own', li).hidden = false;
    $('.sv-review', li).hidden = true;
  }

  // ------------------------------------------------------------ the search, as logged

  async function loadSearch(item, body, details) {
    body.replaceChildren(el('p', 'Loading…', { class: 'hint' }));
    const result = await getJson(`api/searches/${encodeURIComponent(item.id)}`);
    if (!result.ok) {
      body.replaceChildren(el('p', failureText(result, 'the search'), { class: 'sv-error' }));
      return;
    }
    details.dataset.loaded = '1';
    body.replaceChildren(searchDetail(result.data));
  }

  /** What the reviewer judges: the crisis, the means tried, the justification, the scope, what followed. Never the client code. */
  function searchDetail(data) {
    const entry = data.entry || {};
    const crisis = entry.crisis || {};
    const scope = entry.scope || {};
    const dl = el('dl', null, { class: 'sv-detail' });
    const row = (term, value) => {
      if (value == null || value === '' || (Array.isArray(value) && !value.length)) { return; }
      const dd = el('dd');
      if (Array.isArray(value)) {
        const ul = el('ul', null, { class: 'sv-detail-list' });
        ul.append(...value.map(v => el('li', v)));
        dd.append(ul);
      } else {
        dd.textContent = String(value);
      }
      dl.append(el('dt', term), dd);
    };
    row('Danger suspected', crisis.dangerSuspected);
    row('Risk level', RISK_TEXT[crisis.riskLevel] || crisis.riskLevel);
    row('Usual means tried first', (crisis.contactAttempts || []).map(a => `${CHANNEL_TEXT[a.channel] || a.channel}, ${formatTime(a.at)}`));
    row('Justification', entry.justification);
    row('Where searched', (scope.sources || []).map(s => SOURCE_TEXT[s] || s));
    row('Search queries', scope.queries || []);
    row('Found', entry.findings);
    row('Done', entry.actionsTaken);
    const third = entry.thirdPartyContacted;
    if (third) { row('Third party contacted', [`Who: ${third.recipient}`, `Told: ${third.disclosed}`]); }
    const discussion = data.discussion;
    if (discussion) {
      row('Discussed with the client', [formatTime(discussion.discussedAt), discussion.note, discussion.clientResponse].filter(Boolean));
    }
    row('Amendments', (data.amendments || []).map(a => `${formatTime(a.recordedAt)}: ${a.field} — ${a.reason}`));
    row('Reminders', (data.reminders || []).map(r => `${formatTime(r.sentAt)}: ${r.kind} (${r.channel})`));
    return dl;
  }

  // ------------------------------------------------------------ the review form

  function focusFirstInvalid(form) {
    const target = form.querySelector('[aria-invalid="true"]');
    if (!target) { return; }
    (target.tagName === 'FIELDSET' ? target.querySelector('input') : target).focus();
  }

  function setResult(li, kind, text) {
    const p = $('.item-result', li);
    p.className = `item-result${kind === 'error' ? ' error' : ''}`;
    p.textContent = text;
  }

  /** Leaves the queue: the review is saved, or another supervisor's was. Focus goes to the next search or the heading. */
  function removeItem(li, message) {
    const after = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    describeCount(message);
    announce(message);
    if (after) { $('.item-title', after).focus(); } else { $('#sv-queue-heading').focus(); }
    if (!list.children.length && next) { load(false); }
  }

  async function submitReview(event, item, li) {
    event.preventDefault();
    const form = event.currentTarget;
    if (form.dataset.busy) { return; }
    clearFieldErrors(form);
    setResult(li, 'ok', '');
    const chosen = form.querySelector('input[type="radio"]:checked');
    if (!chosen) {
      showFieldError(form, 'outcome', 'Choose an outcome.');
      focusFirstInvalid(form);
      return;
    }
    const body = { outcome: chosen.value };
    const note = $('.f-note', form).value.trim();
    if (note) { body.note = note; }
    const json = JSON.stringify(body);
    // The same key while the same review is re-sent (after no connection, a 503): the server records it once.
    if (form.dataset.body !== json) {
      form.dataset.body = json;
      form.dataset.key = newIdempotencyKey();
    }
    const reference = String(item.reference || '');
    form.dataset.busy = '1';
    $('button[type="submit"]', form).setAttribute('aria-disabled', 'true');
    try {
      const sent = await send('POST', `api/searches/${encodeURIComponent(item.id)}/review`, {
        body: json,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': form.dataset.key },
      });
      if (sent.network) {
        setResult(li, 'error', 'No connection: the review was not saved. Try again when you are online.');
        return;
      }
      if (sent.signedOut) {
        setResult(li, 'error', 'You are signed out: the review was not saved. Sign in again with the link at the top of the page.');
        return;
      }
      if (sent.res.ok) {
        removeItem(li, `Review saved for ${reference}: ${OUTCOME_TEXT[body.outcome]}.`);
        onReviewed();
        return;
      }
      const problem = await readProblem(sent.res);
      if (problem.status === 400 && problem.errors) {
        const unknown = Object.entries(problem.errors)
          .filter(([field, messages]) => !showFieldError(form, field, [].concat(messages).join(' ')))
          .map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`);
        if (unknown.length) { setResult(li, 'error', `Not saved. ${unknown.join(' ')}`); }
        focusFirstInvalid(form);
      } else if (isOwnSearchRefusal(problem)) {
        ownTherapist = item.therapist;
        for (const other of list.children) { if (other.dataset.therapist === ownTherapist) { markOwn(other); } }
        setResult(li, 'error', `Not saved: ${reference} is your own search, and nobody reviews their own search. Another supervisor must review it.`);
        $('.item-title', li).focus();
        announce(`${reference} is your own search: another supervisor must review it.`);
      } else if (problem.status === 403) {
        setResult(li, 'error', 'Not saved: reviewing needs the Supervisor role, which this sign-in does not have.');
      } else if (problem.status === 409) {
        removeItem(li, `${reference} was already reviewed (by you or another supervisor), so it left the queue.`);
        onReviewed();
      } else if (problem.status === 404) {
        removeItem(li, `${reference} no longer exists for this account, so it left the queue.`);
      } else if (problem.status === 429) {
        setResult(li, 'error', `Not saved: too many requests. Try again in ${problem.retryAfterSeconds || 60} s.`);
      } else if (problem.status >= 500) {
        setResult(li, 'error', 'Not saved: the service is unavailable right now. Nothing was half-written; try again in a moment.');
      } else {
        setResult(li, 'error', `Not saved. ${problem.detail || problem.title || `The server answered with status ${problem.status}.`}`);
      }
    } finally {
      delete form.dataset.busy;
      $('button[type="submit"]', form).removeAttribute('aria-disabled');
    }
  }

  filters.addEventListener('submit', e => { e.preventDefault(); load(true); });
  more.addEventListener('click', () => load(false));

  return { load };
}
