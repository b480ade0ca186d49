// WelfareAudit phone page. Plain JS, no build step, no dependencies; CSP-friendly (no inline code or styles,
// nothing is ever inserted as HTML: every server or user text goes through textContent).
//
// Privacy rule: nothing about a client is kept in browser storage, except the queue of searches that could
// not be sent yet (offline). An item leaves the queue as soon as the server accepted it (201) or refused it
// for good (a 4xx other than 401/408/409/425/429); a refused item is shown to the user and kept in memory only
// so it can be loaded back into the form and fixed.
//
// Behind App Service Authentication every API call says X-Requested-With: XMLHttpRequest, so an expired sign-in
// is answered 401 rather than redirected to the sign-in page; a redirect is not followed and counts as signed
// out too. Signed out, the queue is kept and waits (no retries) until an authenticated answer comes back.
(() => {
  'use strict';

  const API = 'api/searches';             // resolved against the page: /api/searches
  const QUEUE_KEY = 'welfareaudit.unsent.v1';
  const RETRY_INTERVAL_MS = 5000;
  const REQUEST_TIMEOUT_MS = 20000;
  const MAX_BACKOFF_MS = 60000;
  const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;   // a server's Retry-After is honoured up to a day

  // Statuses after which the same request may succeed later: keep the item and retry with the same key.
  // 401 (signed out) keeps the item too, but waits for a new sign-in instead of retrying.
  const RETRYABLE = new Set([408, 409, 425, 429]);

  const hooks = {};                       // filled by the view scripts loaded after this one (detail.js)
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  // ---------------------------------------------------------------- small helpers

  function pad(n) { return String(n).padStart(2, '0'); }

  /** A Date as the value of an <input type="datetime-local"> in the phone's local time. */
  function toLocalInput(date) {
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }

  /** The value of a datetime-local input (local time) as ISO 8601 UTC, or null when empty/invalid. */
  function fromLocalInput(value) {
    if (!value) { return null; }
    const d = new Date(value);            // a date-time without offset is local time
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }

  // Every time shown names the phone's time zone ("2 Dec 2026, 11:40 CET"): a therapist who travels sees which.
  const dateFormat = new Intl.DateTimeFormat(undefined,
    { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  function formatTime(iso) {
    if (!iso) { return ''; }
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : dateFormat.format(d);
  }

  function newIdempotencyKey() {
    if (window.crypto && typeof crypto.randomUUID === 'function') { return crypto.randomUUID(); }
    const b = crypto.getRandomValues(new Uint8Array(16));   // RFC 4122 v4 from a CSPRNG
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function timeoutSignal(ms) {
    if (typeof AbortSignal !== 'undefined' && typeof AbortSignal.timeout === 'function') { return AbortSignal.timeout(ms); }
    const c = new AbortController();
    setTimeout(() => c.abort(), ms);
    return c.signal;
  }

  function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

  const announcer = $('#announcer');
  let announceTimer = 0;
  /** Says something to screen readers (assertive); repeated messages are announced again. */
  function announce(message) {
    clearTimeout(announceTimer);
    announcer.textContent = '';
    announceTimer = setTimeout(() => { announcer.textContent = message; }, 60);
  }

  function capitalize(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }

  // ---------------------------------------------------------------- HTTP

  // X-Requested-With makes App Service Authentication answer an expired sign-in with 401 instead of a redirect
  // to the identity provider (another origin, which a script's fetch cannot follow and would take for "offline").
  const API_HEADERS = { 'Accept': 'application/json, application/problem+json', 'X-Requested-With': 'XMLHttpRequest' };
  const SIGNED_OUT = { status: 401, title: '', detail: '', errors: null, retryAfter: 0 };

  let signedOut = false;

  /**
   * One API call: the header above, same-origin credentials, never cached, redirects not followed, a deadline.
   * Answers { network: true } when nothing came back, { signedOut: true } for 401 or a redirect (to sign-in),
   * else { res }. Any success proves the sign-in again. `signal` replaces the deadline (a caller's own cancel button);
   * then { network: true, aborted: true } says the caller cancelled.
   */
  async function send(method, url, body, headers, signal) {
    let res;
    try {
      res = await fetch(url, {
        method,
        headers: Object.assign({}, API_HEADERS, headers),
        body,
        cache: 'no-store',
        credentials: 'same-origin',
        redirect: 'manual',
        signal: signal || timeoutSignal(REQUEST_TIMEOUT_MS),
      });
    } catch {
      return { network: true, aborted: Boolean(signal && signal.aborted) };
    }
    if (res.status === 401 || res.type === 'opaqueredirect') {
      setSignedOut(true);
      return { signedOut: true };
    }
    if (res.ok) { setSignedOut(false); }
    return { res };
  }

  async function readProblem(res) {
    let body = null;
    try {
      const type = res.headers.get('content-type') || '';
      if (type.includes('json')) { body = await res.json(); }
    } catch { body = null; }
    const errors = body && body.errors && typeof body.errors === 'object' ? body.errors : null;
    return {
      status: res.status,
      title: body && typeof body.title === 'string' ? body.title : '',
      detail: body && typeof body.detail === 'string' ? body.detail : '',
      errors,
      retryAfter: parseRetryAfter(res.headers.get('retry-after'), res.headers.get('date')),
    };
  }

  /**
   * Retry-After in milliseconds: delay-seconds, or an HTTP-date measured from the server's own Date header (the
   * phone's clock may be off; without a Date, from the phone's clock). 0 when absent or unreadable.
   */
  function parseRetryAfter(value, serverDate) {
    const text = String(value || '').trim();
    let ms = 0;
    if (/^\d+$/.test(text)) {
      ms = Number(text) * 1000;
    } else if (text) {
      const at = Date.parse(text);
      const now = Date.parse(serverDate || '');
      ms = Number.isNaN(at) ? 0 : at - (Number.isNaN(now) ? Date.now() : now);
    }
    return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
  }

  function seconds(ms) { return Math.max(1, Math.ceil(ms / 1000)); }

  // The one signed-out text, wherever the page says it.
  const SIGNED_OUT_TEXT = 'You are signed out. Sign in again with the link at the top of the page.';
  const NOT_ANSWERING = 'The service is not answering.';

  const GENERIC = {
    400: 'Some fields need attention.',
    401: SIGNED_OUT_TEXT,
    403: 'You are not allowed to do this.',
    404: 'Not found. It may belong to another account.',
    409: 'This was changed at the same moment elsewhere. Please try again.',
    413: 'Too much text. Please shorten the longest fields.',
    415: 'The request format was not accepted.',
    422: 'This conflicts with an earlier submission that used the same key.',
    503: 'The service is temporarily unavailable.',
  };

  function describeProblem(p) {
    if (p.status >= 500) { return NOT_ANSWERING; }      // a server error is not "no connection", nor its internals
    if (p.status === 429) { return `Too many requests — try again in ${p.retryAfter ? `${seconds(p.retryAfter)} s` : 'a moment'}.`; }
    if (p.detail) { return p.detail; }
    if (p.title) { return p.title; }
    return GENERIC[p.status] || `The server answered with status ${p.status}.`;
  }

  /**
   * Sends one request and classifies the outcome:
   * ok (2xx) | retry (network failure, timeout, 5xx, 408/409/425/429) | auth (401 or a redirect to sign-in) |
   * invalid (400 with field errors) | rejected (other 4xx).
   */
  async function request(method, url, body, idempotencyKey) {
    const headers = { 'Content-Type': 'application/json' };
    if (idempotencyKey) { headers['Idempotency-Key'] = idempotencyKey; }
    const sent = await send(method, url, body, headers);
    if (sent.network) { return { kind: 'retry', network: true, problem: null }; }
    if (sent.signedOut) { return { kind: 'auth', problem: SIGNED_OUT }; }
    const res = sent.res;
    if (res.ok) {
      let data = null;
      try { data = await res.json(); } catch { data = null; }
      return { kind: 'ok', status: res.status, data };
    }
    const problem = await readProblem(res);
    if (res.status >= 500 || RETRYABLE.has(res.status)) { return { kind: 'retry', network: false, problem }; }
    if (res.status === 400 && problem.errors && Object.keys(problem.errors).length > 0) { return { kind: 'invalid', problem }; }
    return { kind: 'rejected', problem };
  }

  async function getJson(url) {
    const sent = await send('GET', url);
    if (sent.network) { return { ok: false, network: true }; }
    if (sent.signedOut) { return { ok: false, signedOut: true, problem: SIGNED_OUT }; }
    const res = sent.res;
    if (!res.ok) { return { ok: false, problem: await readProblem(res) }; }
    try { return { ok: true, data: await res.json() }; } catch { return { ok: false, problem: { status: res.status, detail: 'The server sent an unreadable answer.' } }; }
  }

  /**
   * Every page of a paged list (GET /api/searches): follows `next` as `continuation` until it is null, while
   * `current()` says the answer is still wanted. One page's failure is the answer; a token seen twice ends the list.
   */
  async function getAllPages(url, current) {
    const items = [];
    const seen = new Set();
    let next = null;
    do {
      const result = await getJson(next ? `${url}&continuation=${encodeURIComponent(next)}` : url);
      if (!result.ok || !current()) { return result; }
      const data = result.data || {};
      if (Array.isArray(data.items)) { items.push(...data.items); }
      seen.add(next);
      next = typeof data.next === 'string' && data.next && !seen.has(data.next) ? data.next : null;
    } while (next);
    return { ok: true, data: { items } };
  }

  // ---------------------------------------------------------------- field errors (shared by every form)

  function normalizeMessages(value) {
    if (Array.isArray(value)) { return value.map(String); }
    if (value == null) { return []; }
    return [String(value)];
  }

  /** Finds the control for a camelCase JSON path, falling back to its nearest parent path (a[0].b -> a[0] -> a). */
  function findTarget(form, path) {
    let p = String(path || '').replace(/^\$\.?/, '');
    while (p) {
      const el = form.querySelector(`[data-field="${CSS.escape(p)}" i]`);
      if (el) { return { el, matched: p }; }
      const next = p.replace(/(\[\d+\]|\.[^.[\]]+)$/, '');
      if (next === p) { break; }
      p = next;
    }
    return { el: null, matched: '' };
  }

  function labelText(el) {
    let text = '';
    if (el.tagName === 'FIELDSET') {
      const legend = el.querySelector('legend');
      text = legend ? legend.textContent : '';
    } else if (el.labels && el.labels.length) {
      text = el.labels[0].textContent;
    }
    text = text.replace(/\b(required|at least one)\b/gi, '').replace(/^\s*\d+\s+/, '').replace(/\s+/g, ' ').trim();
    // A control inside a repeated group (an attempt) is named with its group: "Attempt 2, channel tried".
    const group = el.tagName === 'FIELDSET' ? null : el.closest('fieldset.attempt');
    if (group) {
      const legend = group.querySelector('legend');
      if (legend) { text = `${legend.textContent.trim()}, ${text.charAt(0).toLowerCase()}${text.slice(1)}`; }
    }
    return text;
  }

  function addDescribedBy(el, id) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    if (!ids.includes(id)) { ids.push(id); }
    el.setAttribute('aria-describedby', ids.join(' '));
  }

  function removeDescribedBy(el, id) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(x => x && x !== id);
    if (ids.length) { el.setAttribute('aria-describedby', ids.join(' ')); } else { el.removeAttribute('aria-describedby'); }
  }

  function clearErrors(form, summary) {
    for (const p of $$('.field-error', form)) {
      const owner = p.dataset.owner ? document.getElementById(p.dataset.owner) : null;
      if (owner) {
        removeDescribedBy(owner, p.id);
        owner.removeAttribute('aria-invalid');
      }
      p.remove();
    }
    for (const el of $$('[aria-invalid]', form)) { el.removeAttribute('aria-invalid'); }
    if (summary) {
      summary.hidden = true;
      $('ul', summary).replaceChildren();
    }
  }

  let fieldErrorSeq = 0;
  function errorElementFor(el) {
    if (!el.id) { el.id = `ctl-${++fieldErrorSeq}`; }
    const id = `${el.id}-error`;
    let p = document.getElementById(id);
    if (!p) {
      p = document.createElement('p');
      p.id = id;
      p.className = 'field-error';
      p.dataset.owner = el.id;
      p.setAttribute('data-testid', 'field-error');
      if (el.tagName === 'FIELDSET') {
        const legend = el.querySelector(':scope > legend');
        const hint = legend && legend.nextElementSibling && legend.nextElementSibling.classList.contains('hint') ? legend.nextElementSibling : null;
        (hint || legend).after(p);
      } else {
        const anchor = el.closest('.inline-input') || el;
        anchor.before(p);                // between the label/hint and the control, right next to it
      }
      addDescribedBy(el, id);
    }
    return p;
  }

  function focusTarget(el) {
    const details = el.closest('details');
    if (details && !details.open) { details.open = true; }
    let target = el;
    if (el.tagName === 'FIELDSET') {
      target = el.querySelector('input, select, textarea, button') || el;
      if (target === el) { el.setAttribute('tabindex', '-1'); }
    }
    target.focus();
    target.scrollIntoView({ block: 'center' });
  }

  /**
   * Shows errors keyed by camelCase JSON path next to their fields, and a summary with links.
   * Paths without a matching field appear in the summary only.
   */
  function showErrors(form, summary, errors, intro) {
    clearErrors(form, summary);
    const list = summary ? $('ul', summary) : null;
    let count = 0;
    let first = null;
    for (const [path, value] of Object.entries(errors || {})) {
      for (const raw of normalizeMessages(value)) {
        count++;
        const { el, matched } = findTarget(form, path);
        let message = capitalize(raw);
        if (el && matched.toLowerCase() !== String(path).replace(/^\$\.?/, '').toLowerCase()) {
          const rest = String(path).slice(String(path).toLowerCase().indexOf(matched.toLowerCase()) + matched.length);
          const index = /^\[(\d+)\]/.exec(rest);
          if (index) { message = `Item ${Number(index[1]) + 1}: ${raw}`; }
        }
        if (el) {
          const p = errorElementFor(el);
          const span = document.createElement('span');
          span.textContent = p.textContent ? ` ${message}` : message;
          p.append(span);
          el.setAttribute('aria-invalid', 'true');
          if (el.tagName === 'FIELDSET') {
            for (const c of $$('input, select, textarea', el)) {
              if (!c.value || c.type === 'checkbox') { c.setAttribute('aria-invalid', 'true'); }
            }
          }
          const details = el.closest('details');
          if (details) { details.open = true; }
          if (!first) { first = el; }
        }
        if (list) {
          const li = document.createElement('li');
          const label = el ? labelText(el) : '';
          const text = label ? `${label} — ${message.charAt(0).toLowerCase()}${message.slice(1)}` : message;
          if (el) {
            const a = document.createElement('a');
            a.href = `#${el.id}`;
            a.textContent = text;
            a.addEventListener('click', e => { e.preventDefault(); focusTarget(el); });
            li.append(a);
          } else {
            li.textContent = path && path !== '$' ? `${path}: ${message}` : message;
          }
          list.append(li);
        }
      }
    }
    if (summary) {
      if (intro) {
        const li = document.createElement('li');
        li.textContent = intro;
        list.prepend(li);
      }
      summary.hidden = count === 0 && !intro;
      if (!summary.hidden) {
        summary.focus();
        summary.scrollIntoView({ block: 'start' });
      }
    } else if (first) {
      focusTarget(first);
    }
    announce(count === 1 ? 'There is 1 problem with the form.' : `There are ${count} problems with the form.`);
    return count;
  }

  // ---------------------------------------------------------------- the search form

  const form = $('#search-form');
  const formErrors = $('#form-errors');
  const saveButton = $('#save');
  const saveResult = $('#save-result');
  const attemptsEl = $('#attempts');
  const attemptTemplate = $('#attempt-template');
  let attemptSeq = 0;

  function attemptRows() { return $$('.attempt', attemptsEl); }

  function addAttempt(values, focus) {
    const frag = attemptTemplate.content.cloneNode(true);
    const fs = $('fieldset', frag);
    const uid = ++attemptSeq;
    const channel = $('.attempt-channel', fs);
    const at = $('.attempt-at', fs);
    fs.id = `attempt-${uid}`;
    channel.id = `attempt-${uid}-channel`;
    at.id = `attempt-${uid}-at`;
    $('.attempt-channel-label', fs).htmlFor = channel.id;
    $('.attempt-at-label', fs).htmlFor = at.id;
    if (values) {
      channel.value = values.channel || '';
      at.value = values.at ? toLocalInput(new Date(values.at)) : '';
    }
    $('.attempt-remove', fs).addEventListener('click', () => removeAttempt(fs));
    attemptsEl.append(fs);
    renumberAttempts();
    if (focus) { channel.focus(); }
  }

  function removeAttempt(fs) {
    const rows = attemptRows();
    if (rows.length <= 1) { return; }
    const index = rows.indexOf(fs);
    fs.remove();
    renumberAttempts();
    const remaining = attemptRows();
    const next = remaining[Math.min(index, remaining.length - 1)];
    $('.attempt-channel', next).focus();
    announce(`Attempt removed. ${plural(remaining.length, 'attempt', 'attempts')} left.`);
  }

  function renumberAttempts() {
    const rows = attemptRows();
    rows.forEach((fs, i) => {
      const n = i + 1;
      $('.attempt-legend', fs).textContent = `Attempt ${n}`;
      fs.dataset.field = `crisis.contactAttempts[${i}]`;
      const channel = $('.attempt-channel', fs);
      const at = $('.attempt-at', fs);
      channel.dataset.field = `crisis.contactAttempts[${i}].channel`;
      at.dataset.field = `crisis.contactAttempts[${i}].at`;
      channel.setAttribute('data-testid', `attempt-${i}-channel`);
      at.setAttribute('data-testid', `attempt-${i}-at`);
      const remove = $('.attempt-remove', fs);
      remove.textContent = `Remove attempt ${n}`;
      remove.setAttribute('data-testid', `attempt-${i}-remove`);
      remove.hidden = rows.length === 1;
    });
  }

  function setNow(input) { input.value = toLocalInput(new Date()); }

  function resetForm() {
    form.reset();
    clearErrors(form, formErrors);
    attemptsEl.replaceChildren();
    addAttempt(null, false);
    // "When did you search" stays empty until the field or "Now" is tapped (quick.js): the time of the tap, not
    // the time the page was opened.
    $('#more').open = false;
    if (hooks.afterReset) { hooks.afterReset(); }
  }

  function textOrUndefined(el) {
    const v = el.value.trim();
    return v ? v : undefined;
  }

  /** Reads the form into the API's draft, and the client-side problems (required fields, obvious order). */
  function readForm() {
    const errors = {};
    const add = (path, msg) => { (errors[path] = errors[path] || []).push(msg); };

    const clientRef = $('#clientRef').value.trim();
    if (!clientRef) { add('clientRef', 'is required'); }

    const occurredAt = fromLocalInput($('#occurredAt').value);
    if (!occurredAt) { add('occurredAt', 'is required'); }

    const dangerSuspected = $('#dangerSuspected').value.trim();
    if (!dangerSuspected) { add('crisis.dangerSuspected', 'is required'); }
    const riskLevel = $('#riskLevel').value;
    if (!riskLevel) { add('crisis.riskLevel', 'is required'); }

    const contactAttempts = attemptRows().map((fs, i) => {
      const channel = $('.attempt-channel', fs).value;
      const at = fromLocalInput($('.attempt-at', fs).value);
      if (!channel) { add(`crisis.contactAttempts[${i}].channel`, 'is required'); }
      if (!at) { add(`crisis.contactAttempts[${i}].at`, 'is required'); }
      else if (occurredAt && at > occurredAt) {
        add(`crisis.contactAttempts[${i}].at`, 'must be before the search: the usual means come first');
      }
      return { channel, at };
    });
    if (contactAttempts.length === 0) { add('crisis.contactAttempts', 'at least one attempt is required'); }

    const justification = $('#justification').value.trim();
    if (!justification) { add('justification', 'is required'); }

    const sources = $$('input[name="sources"]:checked', form).map(c => c.value);
    if (sources.length === 0) { add('scope.sources', 'tick at least one source'); }
    const queries = $('#queries').value.split(/\r?\n/).map(q => q.trim()).filter(Boolean);

    const draft = {
      clientRef,
      occurredAt,
      crisis: { dangerSuspected, riskLevel, contactAttempts },
      justification,
      scope: { sources, queries },
    };

    const findings = textOrUndefined($('#findings'));
    if (findings) { draft.findings = findings; }
    const actionsTaken = textOrUndefined($('#actionsTaken'));
    if (actionsTaken) { draft.actionsTaken = actionsTaken; }

    const recipient = textOrUndefined($('#tpRecipient'));
    const disclosed = textOrUndefined($('#tpDisclosed'));
    if (recipient || disclosed) {
      if (!recipient) { add('thirdPartyContacted.recipient', 'is required when you contacted a third party'); }
      if (!disclosed) { add('thirdPartyContacted.disclosed', 'is required when you contacted a third party'); }
      draft.thirdPartyContacted = { recipient: recipient || '', disclosed: disclosed || '' };
    }

    const nextSessionAt = fromLocalInput($('#nextSessionAt').value);
    if (nextSessionAt) {
      if (occurredAt && nextSessionAt <= occurredAt) { add('nextSessionAt', 'must be after the search'); }
      draft.nextSessionAt = nextSessionAt;
    }
    return { draft, errors };
  }

  /** Puts a draft (e.g. a queued search the server refused) back into the form. */
  function fillForm(draft) {
    resetForm();
    const crisis = draft.crisis || {};
    const scope = draft.scope || {};
    $('#clientRef').value = draft.clientRef || '';
    $('#occurredAt').value = draft.occurredAt ? toLocalInput(new Date(draft.occurredAt)) : '';
    $('#dangerSuspected').value = crisis.dangerSuspected || '';
    $('#riskLevel').value = crisis.riskLevel || '';
    attemptsEl.replaceChildren();
    const attempts = Array.isArray(crisis.contactAttempts) && crisis.contactAttempts.length ? crisis.contactAttempts : [null];
    for (const a of attempts) { addAttempt(a, false); }
    $('#justification').value = draft.justification || '';
    for (const c of $$('input[name="sources"]', form)) { c.checked = Array.isArray(scope.sources) && scope.sources.includes(c.value); }
    $('#queries').value = Array.isArray(scope.queries) ? scope.queries.join('\n') : '';
    $('#findings').value = draft.findings || '';
    $('#actionsTaken').value = draft.actionsTaken || '';
    const tp = draft.thirdPartyContacted || {};
    $('#tpRecipient').value = tp.recipient || '';
    $('#tpDisclosed').value = tp.disclosed || '';
    $('#nextSessionAt').value = draft.nextSessionAt ? toLocalInput(new Date(draft.nextSessionAt)) : '';
    $('#more').open = Boolean(draft.findings || draft.actionsTaken || draft.thirdPartyContacted || draft.nextSessionAt || (scope.queries && scope.queries.length));
  }

  /** `WA-` and the first 8 hex digits of the id, upper case: the reference reminders and the list carry. */
  function referenceOf(id) {
    return /^[0-9a-f]{8}-/i.test(String(id || '')) ? `WA-${String(id).slice(0, 8).toUpperCase()}` : '';
  }

  function showSaveResult(kind, lines, link) {
    saveResult.className = `save-result ${kind}`;
    saveResult.replaceChildren(...lines.map(text => {
      const p = document.createElement('p');
      p.textContent = text;
      return p;
    }));
    if (link) {
      const a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.text;
      a.setAttribute('data-testid', 'open-saved');
      const p = document.createElement('p');
      p.append(a);
      saveResult.append(p);
    }
    saveResult.focus();              // announced (role=status) and on screen
    saveResult.scrollIntoView({ block: 'center' });
  }

  let submitting = false;

  async function onSubmit(event) {
    event.preventDefault();
    if (submitting) { return; }
    saveResult.replaceChildren();
    saveResult.className = 'save-result';
    const { draft, errors } = readForm();
    if (Object.keys(errors).length > 0) {
      showErrors(form, formErrors, errors);
      return;
    }
    clearErrors(form, formErrors);

    // One key per submission, made before the first attempt; every retry re-sends the same key and bytes.
    const item = { key: newIdempotencyKey(), body: JSON.stringify(draft), queuedAt: new Date().toISOString(), tries: 0, notBefore: 0 };

    // The server asked to wait (Retry-After) for what is already queued: this one waits with it, unsent.
    const hold = queueHold(readQueue());
    if (hold.until > Date.now()) {
      item.holdUntil = hold.until;
      item.holdStatus = hold.status;
      enqueue(item);
      resetForm();
      showSaveResult('queued', [`Saved on this phone, not sent yet. ${holdText(hold.status, hold.until - Date.now())}`,
        'It is sent automatically then. Keep this page open or come back to it.']);
      return;
    }

    submitting = true;
    saveButton.setAttribute('aria-disabled', 'true');
    saveButton.textContent = 'Saving…';
    try {
      const outcome = await request('POST', API, item.body, item.key);
      switch (outcome.kind) {
        case 'ok': {
          resetForm();
          const d = outcome.data || {};
          const reference = referenceOf(d.id);
          const lines = [`Search saved${reference ? `, reference ${reference}` : ''}.`,
            'Discuss this search with the client when you next meet.'];
          if (!draft.nextSessionAt) { lines.push('Set the next session below so you are reminded in time.'); }
          showSaveResult('ok', lines, d.id ? { href: `#search/${encodeURIComponent(d.id)}`, text: 'Open this search' } : null);
          loadList();
          break;
        }
        case 'retry':
        case 'auth': {
          enqueue(item);
          const wait = recordFailure(item.key, outcome);
          resetForm();
          let lines;
          if (outcome.kind === 'auth') {
            lines = [`Saved on this phone, not sent yet. ${SIGNED_OUT_TEXT}`,
              'It is kept on this phone and sent once you are signed in.'];
          } else if (wait) {
            lines = [`Saved on this phone, not sent yet. ${holdText(outcome.problem.status, wait)}`,
              'It is sent automatically then. Keep this page open or come back to it.'];
          } else {
            lines = [`Saved on this phone, not sent yet. ${outcome.network ? 'No connection right now.' : describeProblem(outcome.problem)}`,
              'It will be sent automatically when the connection returns. Keep this page open or come back to it.'];
          }
          showSaveResult('queued', lines);
          break;
        }
        case 'invalid':
          showErrors(form, formErrors, outcome.problem.errors, describeProblem(outcome.problem) === GENERIC[400] ? '' : describeProblem(outcome.problem));
          break;
        default:
          showSaveResult('error', [`Not saved. ${describeProblem(outcome.problem)}`]);
          break;
      }
    } finally {
      submitting = false;
      saveButton.removeAttribute('aria-disabled');
      saveButton.textContent = 'Save search';
    }
  }

  // ---------------------------------------------------------------- the unsent queue

  let memoryQueue = null;      // used only when localStorage is unavailable (private mode, quota)

  function readQueue() {
    if (memoryQueue) { return memoryQueue.slice(); }
    try {
      const raw = localStorage.getItem(QUEUE_KEY);
      const parsed = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter(x => x && typeof x.key === 'string' && typeof x.body === 'string') : [];
    } catch {
      return [];
    }
  }

  function writeQueue(items) {
    if (memoryQueue) { memoryQueue = items.slice(); return; }
    try {
      if (items.length) { localStorage.setItem(QUEUE_KEY, JSON.stringify(items)); } else { localStorage.removeItem(QUEUE_KEY); }
    } catch {
      memoryQueue = items.slice();
    }
  }

  /** Re-reads the stored queue before each change, so two open tabs do not undo each other. */
  function mutateQueue(fn) {
    const items = readQueue();
    const result = fn(items);
    writeQueue(items);
    renderQueue();
    return result;
  }

  /** The latest time the server asked the queue to wait until (Retry-After), and the status that asked. */
  function queueHold(items) {
    return items.reduce((h, x) => (x.holdUntil || 0) > h.until ? { until: x.holdUntil, status: x.holdStatus || 0 } : h, { until: 0, status: 0 });
  }

  function holdText(status, ms) {
    return status === 429
      ? `Too many requests — will retry in ${seconds(ms)} s.`
      : `The service asked to wait — will retry in ${seconds(ms)} s.`;
  }

  /**
   * Keeps a queued item after a failed attempt. A wait the server asked for (Retry-After, with 429 or 503) applies
   * to the whole queue — the limit is the caller's, not the item's — and not even "Send now" goes before it.
   * Otherwise a network failure retries on the next round, signed out waits for a sign-in, and other answers back
   * off. Returns the server's wait in ms (0 when none).
   */
  function recordFailure(key, outcome) {
    const status = outcome.problem ? outcome.problem.status : 0;
    const wait = outcome.kind === 'retry' && outcome.problem ? outcome.problem.retryAfter : 0;
    const now = Date.now();
    mutateQueue(items => {
      for (const x of items) {
        if (x.key === key) {
          x.tries = (x.tries || 0) + 1;
          x.lastStatus = status;
          x.notBefore = wait || outcome.network || outcome.kind === 'auth'
            ? 0
            : now + Math.min(MAX_BACKOFF_MS, RETRY_INTERVAL_MS * 2 ** Math.min(x.tries, 4));
        }
        if (wait && now + wait > (x.holdUntil || 0)) {
          x.holdUntil = now + wait;
          x.holdStatus = status;
        }
      }
    });
    ensureRetryTimer();
    return wait;
  }

  function enqueue(item) {
    mutateQueue(items => { if (!items.some(x => x.key === item.key)) { items.push(item); } });
    announce(`${waitingText(readQueue())} waiting to be sent.`);
    ensureRetryTimer();
  }

  const rejected = [];          // memory only: refused queued searches, until fixed or dismissed

  /** "1 search", "2 searches and 1 addition": amendments (items with a label) wait in the same queue. */
  function waitingText(items) {
    const added = items.filter(x => x.label).length;
    const searches = items.length - added;
    const parts = [];
    if (searches || !added) { parts.push(plural(searches, 'search', 'searches')); }
    if (added) { parts.push(plural(added, 'addition', 'additions')); }
    return parts.join(' and ');
  }

  function renderQueue() {
    const items = readQueue();
    const section = $('#queue');
    section.hidden = items.length === 0;
    $('#queue-status').textContent = items.length ? `${waitingText(items)} waiting to be sent` : '';
    let detail = 'Kept on this phone only until it is sent. It is sent automatically when the connection returns.';
    const hold = queueHold(items);
    const left = hold.until - Date.now();
    clearTimeout(countdownTimer);
    if (signedOut) {
      detail = `${SIGNED_OUT_TEXT} The waiting searches are kept and sent afterwards.`;
    } else if (items.length && left > 0) {
      detail = `${holdText(hold.status, left)} Kept on this phone only until it is sent.`;
      countdownTimer = setTimeout(renderQueue, ((left - 1) % 1000) + 1);   // when the whole seconds left change
    }
    if (memoryQueue) { detail += ' This browser does not allow storage: keep this page open until it is sent.'; }
    $('#queue-detail').textContent = items.length ? detail : '';

    const box = $('#rejected');
    const list = $('#rejected-list');
    list.replaceChildren();
    box.hidden = rejected.length === 0;
    for (const r of rejected) {
      const li = document.createElement('li');
      li.setAttribute('data-testid', 'rejected-item');
      const p = document.createElement('p');
      let draft = {};
      try { draft = JSON.parse(r.body); } catch { draft = {}; }
      if (r.label) {          // an amendment: nothing to load into the logging form
        p.textContent = `${r.label} was refused: ${describeProblem(r.problem)}`;
        const ok = document.createElement('button');
        ok.type = 'button';
        ok.className = 'button small secondary';
        ok.textContent = 'Dismiss';
        ok.addEventListener('click', () => { rejected.splice(rejected.indexOf(r), 1); renderQueue(); announce('Dismissed.'); });
        li.append(p, ok);
        list.append(li);
        continue;
      }
      p.textContent = `Search for client ${draft.clientRef || '?'} (searched ${formatTime(draft.occurredAt)}) was refused: ${describeProblem(r.problem)}`;
      const load = document.createElement('button');
      load.type = 'button';
      load.className = 'button small secondary';
      load.textContent = 'Load it into the form to fix';
      load.addEventListener('click', () => {
        rejected.splice(rejected.indexOf(r), 1);
        renderQueue();
        fillForm(draft);
        if (r.problem && r.problem.errors) { showErrors(form, formErrors, r.problem.errors); } else { $('#clientRef').focus(); }
      });
      const dismiss = document.createElement('button');
      dismiss.type = 'button';
      dismiss.className = 'button small link';
      dismiss.textContent = 'Discard it';
      dismiss.addEventListener('click', () => {
        rejected.splice(rejected.indexOf(r), 1);
        renderQueue();
        announce('Discarded.');
      });
      li.append(p, load, ' ', dismiss);
      list.append(li);
    }
  }

  let flushing = false;
  let retryTimer = 0;
  let holdTimer = 0;
  let countdownTimer = 0;

  /**
   * While searches wait: a round every 5 s, and one at the moment a Retry-After ends. Signed out, neither: the
   * queue waits for a sign-in (an authenticated answer), instead of sending into 401 over and over.
   */
  function ensureRetryTimer() {
    const items = readQueue();
    const pending = items.length > 0 && !signedOut;
    if (pending && !retryTimer) {
      retryTimer = setInterval(() => { flushQueue(); }, RETRY_INTERVAL_MS);
    } else if (!pending && retryTimer) {
      clearInterval(retryTimer);
      retryTimer = 0;
    }
    clearTimeout(holdTimer);
    holdTimer = 0;
    const until = pending ? queueHold(items).until : 0;
    if (until > Date.now()) {
      holdTimer = setTimeout(() => { holdTimer = 0; flushQueue(); }, until - Date.now());
    }
  }

  /** Signed out (401, or a redirect to sign-in) or in again (any success): shows it, and sends the queue once back. */
  function setSignedOut(value) {
    if (value === signedOut) { return; }
    signedOut = value;
    $('#signed-out').hidden = !value;
    renderQueue();
    ensureRetryTimer();
    if (!value && readQueue().length) { flushQueue(true); }
  }

  /**
   * Sends every queued search that is due, oldest first, each with its own original Idempotency-Key. Forced
   * ("Send now", back online, page load) it skips the client's back-off, never the server's Retry-After. Signed
   * out, only a forced round sends.
   */
  async function flushQueue(force) {
    if (flushing || (signedOut && !force)) { return; }
    flushing = true;
    let sent = 0;
    let sentAdditions = 0;
    try {
      for (const item of readQueue()) {
        const now = Date.now();
        if (item.holdUntil && now < item.holdUntil) { continue; }
        if (!force && item.notBefore && now < item.notBefore) { continue; }
        const outcome = await request('POST', item.url || API, item.body, item.key);
        if (outcome.kind === 'ok') {
          mutateQueue(items => { const i = items.findIndex(x => x.key === item.key); if (i >= 0) { items.splice(i, 1); } });
          if (item.label) { sentAdditions++; } else { sent++; }
          continue;
        }
        if (outcome.kind === 'retry' || outcome.kind === 'auth') {
          const wait = recordFailure(item.key, outcome);
          if (wait) { announce(`A waiting search was not sent yet. ${holdText(outcome.problem.status, wait)}`); }
          if (outcome.network || outcome.kind === 'auth' || wait) { break; }   // the others would fail the same way
          continue;
        }
        // Refused for good (400, 403, 404, 413, 415, 422...): leave the queue, tell the user.
        mutateQueue(items => { const i = items.findIndex(x => x.key === item.key); if (i >= 0) { items.splice(i, 1); } });
        rejected.push({ key: item.key, body: item.body, problem: outcome.problem, label: item.label });
        announce(`${item.label ? 'A waiting addition' : 'A waiting search'} was refused by the server: ${describeProblem(outcome.problem)}`);
      }
    } finally {
      flushing = false;
      renderQueue();
      ensureRetryTimer();
    }
    if (sent > 0) {
      announce(`${plural(sent, 'waiting search was', 'waiting searches were')} sent.`);
      showSaveResultQuiet('ok', [`${plural(sent, 'waiting search was', 'waiting searches were')} sent and saved.`, 'Discuss each search with the client when you next meet.']);
      loadList();
    }
    if (sentAdditions > 0) {
      announce(`${plural(sentAdditions, 'waiting addition was', 'waiting additions were')} sent and saved.`);
      document.dispatchEvent(new CustomEvent('welfareaudit:additions-sent'));
    }
  }

  function showSaveResultQuiet(kind, lines) {
    saveResult.className = `save-result ${kind}`;
    saveResult.replaceChildren(...lines.map(text => {
      const p = document.createElement('p');
      p.textContent = text;
      return p;
    }));
  }

  // ---------------------------------------------------------------- searches to discuss

  const list = $('#search-list');
  const listStatus = $('#list-status');
  const filter = $('#status-filter');
  const itemTemplate = $('#item-template');
  const STATUS_TEXT = { 'awaiting-discussion': 'Awaiting discussion', discussed: 'Discussed', closed: 'Closed' };
  let itemSeq = 0;
  let listLoading = 0;

  /** Overdue: still awaiting discussion and the next session has passed. */
  function isOverdue(item, now) {
    if (item.status !== 'awaiting-discussion' || !item.nextSessionAt) { return false; }
    const t = Date.parse(item.nextSessionAt);
    return !Number.isNaN(t) && t < now;
  }

  /**
   * Next session first: overdue (longest overdue first), then awaiting with a next session (soonest first), then
   * awaiting without one, then discussed and closed; ties newest search first.
   */
  function orderItems(items, now) {
    const rank = x => isOverdue(x, now) ? 0 : x.status === 'awaiting-discussion' ? (x.nextSessionAt ? 1 : 2) : 3;
    const time = v => { const t = Date.parse(v || ''); return Number.isNaN(t) ? 0 : t; };
    return items.slice().sort((a, b) => rank(a) - rank(b)
      || (rank(a) < 2 ? time(a.nextSessionAt) - time(b.nextSessionAt) : 0)
      || time(b.occurredAt) - time(a.occurredAt));
  }

  async function loadList(message) {
    const choice = filter.value;
    const status = choice === 'overdue' ? 'awaiting-discussion' : choice;
    const token = ++listLoading;
    if (!message) { listStatus.textContent = 'Loading…'; }
    const risk = $('#risk-filter').value;
    const result = await getAllPages(`${API}?status=${encodeURIComponent(status)}${risk ? `&risk=${encodeURIComponent(risk)}` : ''}&pageSize=100`,
      () => token === listLoading);
    if (token !== listLoading) { return; }
    if (!result.ok) {
      listStatus.textContent = result.network
        ? 'Cannot load the list: no connection. It refreshes when the connection returns.'
        : result.signedOut
          ? `Cannot load the list. ${SIGNED_OUT_TEXT}`
          : `Cannot load the list. ${describeProblem(result.problem)}`;
      return;
    }
    const now = Date.now();
    let items = result.data && Array.isArray(result.data.items) ? result.data.items : [];
    if (choice === 'overdue') { items = items.filter(x => isOverdue(x, now)); }
    renderList(orderItems(items, now), now);
    const what = choice === 'overdue' ? 'overdue' : status === 'awaiting-discussion' ? 'awaiting discussion' : status === 'discussed' ? 'discussed' : 'in total';
    const at = risk ? ` at ${risk} risk` : '';
    const summary = items.length ? `${plural(items.length, 'search', 'searches')} ${what}${at}.` : `No searches ${what}${at}.`;
    listStatus.textContent = message ? `${message} ${summary}` : summary;
  }

  function wireLabel(root, labelClass, control, id) {
    control.id = id;
    $(labelClass, root).htmlFor = id;
  }

  function renderList(items, now) {
    const nodes = items.map(item => {
      const frag = itemTemplate.content.cloneNode(true);
      const li = $('li', frag);
      const n = ++itemSeq;
      li.dataset.id = String(item.id);
      li.setAttribute('data-reference', String(item.reference || ''));
      $('.item-client', li).textContent = String(item.clientRef || '');
      $('.item-occurred', li).textContent = formatTime(item.occurredAt);
      $('.item-status', li).textContent = STATUS_TEXT[item.status] || String(item.status || '');
      $('.item-next', li).textContent = item.nextSessionAt ? formatTime(item.nextSessionAt) : 'Not set';
      $('.item-reminders', li).textContent = String(item.remindersSent || 0);
      $('.item-ref', li).textContent = String(item.reference || '');
      $('.item-overdue', li).hidden = !isOverdue(item, now);
      const open = $('.item-open', li);
      open.href = `#search/${encodeURIComponent(item.id)}`;
      open.append(visuallyHidden(` for client ${item.clientRef || ''}`));
      const discussedRow = $('.item-discussed-row', li);
      if (item.discussedAt) { $('.item-discussed', li).textContent = formatTime(item.discussedAt); } else { discussedRow.hidden = true; }
      $('article', li).setAttribute('aria-labelledby', `item-${n}-title`);
      $('.item-title', li).id = `item-${n}-title`;

      const result = $('.item-result', li);
      const awaiting = item.status === 'awaiting-discussion';

      // Record discussion
      const dDetails = $('.discussion', li);
      const dForm = $('.discussion-form', li);
      const discussedAt = $('.f-discussedAt', dForm);
      const note = $('.f-note', dForm);
      const response = $('.f-clientResponse', dForm);
      wireLabel(dForm, '.l-discussedAt', discussedAt, `item-${n}-discussedAt`);
      wireLabel(dForm, '.l-note', note, `item-${n}-note`);
      wireLabel(dForm, '.l-clientResponse', response, `item-${n}-clientResponse`);
      $('summary', dDetails).append(visuallyHidden(` for client ${item.clientRef || ''}`));
      dDetails.hidden = !awaiting;
      dDetails.addEventListener('toggle', () => { if (dDetails.open && !discussedAt.value) { setNow(discussedAt); } });
      dForm.addEventListener('submit', e => submitDiscussion(e, item, dForm, result));

      // Next session
      const nDetails = $('.next-session', li);
      const nForm = $('.next-session-form', li);
      const next = $('.f-nextSessionAt', nForm);
      wireLabel(nForm, '.l-nextSessionAt', next, `item-${n}-nextSessionAt`);
      $('summary', nDetails).append(visuallyHidden(` for client ${item.clientRef || ''}`));
      if (item.nextSessionAt) { next.value = toLocalInput(new Date(item.nextSessionAt)); }
      nDetails.hidden = !awaiting;
      nForm.addEventListener('submit', e => submitNextSession(e, item, nForm, result));
      if (hooks.decorateItem) { hooks.decorateItem(li, item); }
      return li;
    });
    list.replaceChildren(...nodes);
  }

  function visuallyHidden(text) {
    const span = document.createElement('span');
    span.className = 'visually-hidden';
    span.textContent = text;
    return span;
  }

  /** Reuses the same Idempotency-Key while the same body is re-submitted from the same form (e.g. after a network error). */
  function keyFor(formEl, body) {
    if (formEl.dataset.lastBody !== body || !formEl.dataset.key) {
      formEl.dataset.key = newIdempotencyKey();
      formEl.dataset.lastBody = body;
    }
    return formEl.dataset.key;
  }

  function setItemResult(el, kind, text) {
    el.className = `item-result${kind === 'error' ? ' error' : ''}`;
    el.textContent = text;
  }

  // The discussion of a search, from any form holding its three fields (data-field: the list's and the next-session
  // sheet's): checked here, sent with the form's Idempotency-Key. Null when a required field is empty (shown in the form).
  async function sendDiscussion(formEl, summary, id) {
    const value = name => $(`[data-field="${name}"]`, formEl).value;
    const discussedAt = fromLocalInput(value('discussedAt'));
    const note = value('note').trim();
    const clientResponse = value('clientResponse').trim();
    const errors = {};
    if (!discussedAt) { errors.discussedAt = ['is required']; }
    if (!note) { errors.note = ['is required']; }
    if (Object.keys(errors).length) { showErrors(formEl, summary, errors); return null; }
    clearErrors(formEl, summary);
    const body = { discussedAt, note };
    if (clientResponse) { body.clientResponse = clientResponse; }
    const json = JSON.stringify(body);
    return request('POST', `${API}/${encodeURIComponent(id)}/discussion`, json, keyFor(formEl, json));
  }

  async function submitDiscussion(event, item, formEl, resultEl) {
    event.preventDefault();
    if (formEl.dataset.busy) { return; }
    const summary = $('.form-errors', formEl);
    formEl.dataset.busy = '1';
    try {
      const outcome = await sendDiscussion(formEl, summary, item.id);
      if (!outcome) { return; }
      if (outcome.kind === 'ok') {
        await loadList(`Discussion recorded for client ${item.clientRef}.`);
        $('#awaiting-heading').setAttribute('tabindex', '-1');
        $('#awaiting-heading').focus();
        announce(`Discussion recorded for client ${item.clientRef}.`);
      } else if (outcome.kind === 'invalid') {
        showErrors(formEl, summary, outcome.problem.errors);
      } else if (outcome.kind === 'retry' && outcome.network) {
        setItemResult(resultEl, 'error', 'No connection: the discussion was not saved. Try again when you are online.');
      } else {
        setItemResult(resultEl, 'error', `Not saved. ${describeProblem(outcome.problem)}`);
      }
    } finally {
      delete formEl.dataset.busy;
    }
  }

  async function submitNextSession(event, item, formEl, resultEl) {
    event.preventDefault();
    if (formEl.dataset.busy) { return; }
    const summary = $('.form-errors', formEl);
    const nextSessionAt = fromLocalInput($('.f-nextSessionAt', formEl).value);
    if (!nextSessionAt) { showErrors(formEl, summary, { nextSessionAt: ['is required'] }); return; }
    clearErrors(formEl, summary);
    formEl.dataset.busy = '1';
    try {
      const outcome = await request('PUT', `${API}/${encodeURIComponent(item.id)}/next-session`, JSON.stringify({ nextSessionAt }));
      if (outcome.kind === 'ok') {
        await loadList(`Next session set for client ${item.clientRef}.`);
        announce(`Next session set for client ${item.clientRef}: ${formatTime(nextSessionAt)}.`);
      } else if (outcome.kind === 'invalid') {
        showErrors(formEl, summary, outcome.problem.errors);
      } else if (outcome.kind === 'retry' && outcome.network) {
        setItemResult(resultEl, 'error', 'No connection: the next session was not saved. Try again when you are online.');
      } else {
        setItemResult(resultEl, 'error', `Not saved. ${describeProblem(outcome.problem)}`);
      }
    } finally {
      delete formEl.dataset.busy;
    }
  }

  // ---------------------------------------------------------------- connection and start-up

  function renderConnection() {
    $('#connection').hidden = navigator.onLine !== false;
  }

  function start() {
    resetForm();
    saveResult.replaceChildren();
    form.addEventListener('submit', onSubmit);
    $('#add-attempt').addEventListener('click', () => {
      addAttempt(null, true);
      announce(`Attempt ${attemptRows().length} added.`);
    });
    for (const b of $$('[data-now-for]')) {
      b.addEventListener('click', () => setNow(document.getElementById(b.dataset.nowFor)));
    }
    $('#queue-send').addEventListener('click', () => flushQueue(true));
    $('#refresh').addEventListener('click', () => loadList());
    filter.addEventListener('change', () => loadList());
    $('#risk-filter').addEventListener('change', () => loadList());

    // Back online or back on the page: refresh the list, which also tells whether the sign-in is still valid
    // (and when it is again, the queue is sent); the queue itself is sent only while signed in.
    window.addEventListener('online', () => { renderConnection(); if (!signedOut) { flushQueue(true); } loadList(); });
    window.addEventListener('offline', renderConnection);
    window.addEventListener('storage', e => { if (e.key === QUEUE_KEY || e.key === null) { renderQueue(); ensureRetryTimer(); } });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') { return; }
      if (signedOut) { loadList(); } else if (readQueue().length) { flushQueue(true); }
    });

    renderConnection();
    renderQueue();
    ensureRetryTimer();
    flushQueue(true);
    loadList();

    if ('serviceWorker' in navigator && window.isSecureContext) {
      window.addEventListener('load', () => {
        navigator.serviceWorker.register('sw.js', { scope: './' }).catch(() => { /* the page works without it */ });
      });
    }
  }

  // What the other views (detail.js: detail, additions, next-session sheet; roles) share with this one.
  window.WelfareAudit = Object.freeze({
    API, hooks, send, readProblem, request, getJson, formatTime, toLocalInput, fromLocalInput, setNow, announce, showErrors, clearErrors,
    sendDiscussion, describeProblem, newIdempotencyKey, enqueue, recordFailure, queueHold, readQueue, holdText, keyFor, plural,
    loadList, referenceOf, visuallyHidden, isSignedOut: () => signedOut, SIGNED_OUT_TEXT,
    readDraft: () => readForm().draft, fillForm,
  });

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
