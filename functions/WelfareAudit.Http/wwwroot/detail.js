// WelfareAudit phone page: one search (#search/{id}), additions and corrections to it, and the next-session sheet
// (#sheet/{id}) with "Record the discussion". Plain JS on top of app.js (window.WelfareAudit); same rules: nothing
// is inserted as HTML, nothing of a client is stored except additions waiting to be sent (the same queue as
// searches, with the same exactly-once Idempotency-Key).
(() => {
  'use strict';

  const WA = window.WelfareAudit;
  if (!WA) { return; }
  const $ = (sel, root = document) => root.querySelector(sel);

  // ---------------------------------------------------------------- plain words for the API's values

  const RISK = { low: 'Low', moderate: 'Moderate', high: 'High', imminent: 'Imminent' };
  const CHANNEL = { missedAppointment: 'Missed appointment', phone: 'Phone', email: 'Email', emergencyContact: 'Emergency contact', other: 'Another way' };
  const SOURCE = { searchEngine: 'A search engine', blog: 'A blog', facebook: 'Facebook', twitterX: 'Twitter / X', linkedIn: 'LinkedIn', other: 'Somewhere else' };
  const STATUS = { 'awaiting-discussion': 'Awaiting discussion with the client', discussed: 'Discussed with the client', closed: 'Closed (logged in error)' };
  const REMINDER = {
    sessionMorning: 'On the morning of the session', beforeSession: 'Before the session', setNextSession: 'Asking you to set the next session',
    overdue: 'The discussion is overdue', escalation: 'Your supervisor was told the discussion is overdue',
  };
  const CHANNEL_SENT = { email: 'by email', webhook: 'by message' };
  const REVIEW = { appropriate: 'Appropriate', concern: 'A concern', 'follow-up-needed': 'Follow-up needed' };
  const FIELD = {
    clientRef: 'Client code', occurredAt: 'When you searched', 'crisis.dangerSuspected': 'The danger you suspected',
    'crisis.riskLevel': 'Risk level', 'crisis.contactAttempts': 'Usual means you tried first', justification: 'Why searching was necessary',
    'scope.sources': 'Where you searched', 'scope.queries': 'Search queries', findings: 'What you found', actionsTaken: 'What you did',
    thirdPartyContacted: 'Third party contacted', status: 'Closed', field: 'What do you want to add or correct?',
    value: 'What should it say?', reason: 'Why are you adding or correcting it?', discussedAt: 'When did you discuss it?',
    note: 'What did you tell the client?', clientResponse: 'How did the client respond?',
  };
  // On the sheet, read to the client: what the therapist tried, in the first person.
  const TRIED = { missedAppointment: 'You missed our appointment', phone: 'I phoned you', email: 'I emailed you', emergencyContact: 'I contacted your emergency contact', other: 'I tried to reach you another way' };

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'text') { e.textContent = v; } else if (k === 'class') { e.className = v; } else { e.setAttribute(k, v); }
    }
    for (const c of children) { if (c != null) { e.append(c); } }
    return e;
  }

  function timeZoneName() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch { return ''; }
  }

  // ---------------------------------------------------------------- views and routing

  const MAIN_SECTIONS = ['#log', '#awaiting'];
  const views = { search: $('#detail'), sheet: $('#sheet') };
  let current = null;          // { view, id, data }
  let loadToken = 0;
  let pendingMessage = '';     // said once the next view has loaded (after a save that moves to it)

  function route() {
    const m = /^#(search|sheet)\/([0-9a-fA-F-]{36})$/.exec(location.hash);
    if (!m) {
      if (current) {
        current = null;
        for (const v of Object.values(views)) { v.hidden = true; }
        for (const s of MAIN_SECTIONS) { $(s).hidden = false; }
        if (WA.hooks.afterRoute) { WA.hooks.afterRoute(null); }
      }
      return;
    }
    const [, view, id] = m;
    for (const s of MAIN_SECTIONS) { $(s).hidden = true; }
    $('#supervisor-start').hidden = true;
    for (const [name, v] of Object.entries(views)) { v.hidden = name !== view; }
    const same = current && current.id === id && current.data && !pendingMessage;
    current = { view, id, data: same ? current.data : null };
    if (same) { render(); } else { load(pendingMessage); pendingMessage = ''; }
    const heading = view === 'search' ? $('#detail-heading') : $('#sheet-heading');
    heading.focus();
    window.scrollTo(0, 0);
    if (WA.hooks.afterRoute) { WA.hooks.afterRoute(view); }
  }

  async function load(message) {
    const c = current;
    const token = ++loadToken;
    const status = c.view === 'search' ? $('#detail-status') : $('#sheet-status');
    if (!message) { status.textContent = 'Loading…'; }
    const result = await WA.getJson(`${WA.API}/${encodeURIComponent(c.id)}`);
    if (token !== loadToken || current !== c) { return; }
    if (!result.ok) {
      status.textContent = result.network
        ? 'Cannot open this search: no connection. Try again when you are online.'
        : result.signedOut
          ? `Cannot open this search. ${WA.SIGNED_OUT_TEXT}`
          : `Cannot open this search. ${WA.describeProblem(result.problem)}`;
      clearView(c.view);
      return;
    }
    c.data = result.data || {};
    status.textContent = message || '';
    render();
  }

  function clearView(view) {
    if (view === 'search') {
      $('#detail-body').replaceChildren();
      $('#detail-actions').hidden = true;
      $('#amend').hidden = true;
    } else {
      $('#sheet-body').replaceChildren();
      $('#sheet-discuss').hidden = true;
    }
  }

  function render() {
    if (current.view === 'search') { renderDetail(current.data); } else { renderSheet(current.data); }
  }

  // ---------------------------------------------------------------- the detail view

  /** An amendment's value in plain words (a risk level as the form names it; closing as a sentence). */
  function plainValue(a) {
    if (a.field === 'status') { return 'closed this search'; }
    const v = String(a.value || '');
    return a.field === 'crisis.riskLevel' && RISK[v.toLowerCase()] ? RISK[v.toLowerCase()] : v;
  }

  /** The additions and corrections recorded for one field, oldest first. */
  function amendmentsFor(d, field) {
    return (Array.isArray(d.amendments) ? d.amendments : []).filter(a => a.field === field);
  }

  function laterBlock(d, field) {
    const list = amendmentsFor(d, field);
    if (!list.length) { return null; }
    const ul = el('ul', { class: 'plain-list later', 'data-testid': 'later' });
    for (const a of list) {
      ul.append(el('li', {},
        el('span', { class: 'later-when', text: `Added ${WA.formatTime(a.recordedAt)}: ` }),
        el('span', { text: plainValue(a) }),
        el('span', { class: 'later-why', text: ` — reason: ${a.reason || ''}` })));
    }
    return ul;
  }

  /** One fact: a term, its value as logged ("Not given" when absent) and anything added later. */
  function fact(d, term, value, field, testid) {
    const dd = el('dd', testid ? { 'data-testid': testid } : {});
    if (value instanceof Node) { dd.append(value); } else { dd.append(el('span', { class: value ? 'value' : 'value none', text: value || 'Not given' })); }
    if (field) {
      const later = laterBlock(d, field);
      if (later) { dd.append(later); }
    }
    return el('div', { class: 'fact' }, el('dt', { text: term }), dd);
  }

  function list(items) {
    const ul = el('ul', { class: 'plain-list bullets' });
    for (const t of items) { ul.append(el('li', { text: t })); }
    return ul;
  }

  function section(title, ...children) {
    return el('div', { class: 'detail-part' }, el('h2', { text: title }), ...children);
  }

  function renderDetail(d) {
    const s = d.summary || {};
    const e = d.entry || {};
    const crisis = e.crisis || {};
    const scope = e.scope || {};
    const tp = e.thirdPartyContacted;
    const overdue = s.status === 'awaiting-discussion' && s.nextSessionAt && Date.parse(s.nextSessionAt) < Date.now();
    $('#detail-heading').textContent = `Search for client ${s.clientRef || e.clientRef || ''}`;

    const status = el('dl', { class: 'facts' },
      fact(d, 'Status', `${STATUS[s.status] || s.status || ''}${overdue ? ' — overdue: the next session has passed' : ''}`, 'status', 'detail-state'),
      fact(d, 'Reference', s.reference || WA.referenceOf(s.id), null, 'detail-reference'),
      fact(d, 'Next session', s.nextSessionAt ? WA.formatTime(s.nextSessionAt) : 'Not set', null, 'detail-next'),
      s.discussedAt ? fact(d, 'Discussed', WA.formatTime(s.discussedAt)) : null,
      fact(d, 'Logged', WA.formatTime(s.loggedAt)));
    if (WA.hooks.whose) {
      const whose = WA.hooks.whose(s.therapist);
      if (whose) { status.prepend(fact(d, 'Whose search', whose, null, 'detail-whose')); }
    }

    const attempts = (Array.isArray(crisis.contactAttempts) ? crisis.contactAttempts : [])
      .map(a => `${CHANNEL[a.channel] || a.channel} — ${WA.formatTime(a.at)}`);
    const what = el('dl', { class: 'facts' },
      fact(d, 'Client code', e.clientRef, 'clientRef', 'detail-clientRef'),
      fact(d, 'When you searched', WA.formatTime(e.occurredAt), 'occurredAt', 'detail-occurredAt'),
      fact(d, 'The danger you suspected', crisis.dangerSuspected, 'crisis.dangerSuspected', 'detail-danger'),
      fact(d, 'Risk level', RISK[crisis.riskLevel] || crisis.riskLevel, 'crisis.riskLevel', 'detail-risk'),
      fact(d, 'Usual means you tried first', attempts.length ? list(attempts) : '', 'crisis.contactAttempts', 'detail-attempts'),
      fact(d, 'Why searching was necessary', e.justification, 'justification', 'detail-justification'),
      fact(d, 'Where you searched', Array.isArray(scope.sources) && scope.sources.length ? list(scope.sources.map(x => SOURCE[x] || x)) : '', 'scope.sources', 'detail-sources'),
      fact(d, 'Search queries', Array.isArray(scope.queries) && scope.queries.length ? list(scope.queries.map(String)) : '', 'scope.queries', 'detail-queries'),
      fact(d, 'What you found', e.findings, 'findings', 'detail-findings'),
      fact(d, 'What you did', e.actionsTaken, 'actionsTaken', 'detail-actions-taken'),
      fact(d, 'Third party contacted', tp ? `${tp.recipient} — told: ${tp.disclosed}` : 'No one', 'thirdPartyContacted', 'detail-third-party'),
      e.nextSessionAt && e.nextSessionAt !== s.nextSessionAt ? fact(d, 'Next session as logged', WA.formatTime(e.nextSessionAt)) : null);

    const parts = [section('Where it stands', status), section('The search as logged', what)];

    const disc = d.discussion;
    parts.push(section('Discussion with the client', disc
      ? el('dl', { class: 'facts' },
        fact(d, 'When', WA.formatTime(disc.discussedAt)),
        fact(d, 'What you told the client', disc.note),
        fact(d, 'How the client responded', disc.clientResponse))
      : el('p', { text: 'Not recorded yet.', 'data-testid': 'detail-no-discussion' })));

    const reminders = Array.isArray(d.reminders) ? d.reminders : [];
    const sent = reminders.filter(r => r.kind !== 'escalation');
    const escalations = reminders.filter(r => r.kind === 'escalation');
    parts.push(section('Reminders sent', sent.length
      ? list(sent.map(r => `${REMINDER[r.kind] || r.kind}, ${CHANNEL_SENT[r.channel] || r.channel} — ${WA.formatTime(r.sentAt)}`))
      : el('p', { text: 'None yet.' })));
    parts.push(section('Escalations to your supervisor', escalations.length
      ? list(escalations.map(r => `${CHANNEL_SENT[r.channel] ? capitalize(CHANNEL_SENT[r.channel]) : r.channel} — ${WA.formatTime(r.sentAt)}`))
      : el('p', { text: 'None.' })));
    if (Array.isArray(d.reviews)) {
      parts.push(section('Supervisor reviews', d.reviews.length
        ? list(d.reviews.map(r => `${REVIEW[r.outcome] || r.outcome} — ${WA.formatTime(r.reviewedAt)}${r.note ? `: ${r.note}` : ''}`))
        : el('p', { text: 'Not reviewed yet.' })));
    }
    const amendments = Array.isArray(d.amendments) ? d.amendments : [];
    parts.push(section('Additions and corrections', amendments.length
      ? list(amendments.map(a => `${WA.formatTime(a.recordedAt)} — ${FIELD[a.field] || a.field}: ${plainValue(a)} (reason: ${a.reason})`))
      : el('p', { text: 'None.' })));
    $('#detail-body').replaceChildren(...parts);

    $('#detail-actions').hidden = false;
    $('#detail-sheet').href = `#sheet/${encodeURIComponent(current.id)}`;
    $('#amend').hidden = WA.hooks.canWrite ? !WA.hooks.canWrite(s.therapist) : false;
  }

  function capitalize(t) { return t ? t.charAt(0).toUpperCase() + t.slice(1) : t; }

  // ---------------------------------------------------------------- additions and corrections

  const amendForm = $('#amend-form');
  const amendErrors = $('#amend-errors');
  const amendResult = $('#amend-result');
  const amendField = $('#amend-field');

  function setResult(box, kind, lines) {
    box.className = `save-result ${kind}`;
    box.replaceChildren(...lines.map(t => el('p', { text: t })));
    box.focus();
    box.scrollIntoView({ block: 'center' });
  }

  amendField.addEventListener('change', () => {
    $('#amend-value-field').hidden = amendField.value === 'status';
  });

  amendForm.addEventListener('submit', async event => {
    event.preventDefault();
    if (amendForm.dataset.busy || !current) { return; }
    const field = amendField.value;
    const value = field === 'status' ? 'closed' : $('#amend-value').value.trim();
    const reason = $('#amend-reason').value.trim();
    const errors = {};
    if (!field) { errors.field = ['choose what to add or correct']; }
    if (!value) { errors.value = ['is required']; }
    if (!reason) { errors.reason = ['is required: say why, for the record']; }
    if (Object.keys(errors).length) { WA.showErrors(amendForm, amendErrors, errors); return; }
    WA.clearErrors(amendForm, amendErrors);

    const id = current.id;
    const reference = (current.data && current.data.summary && current.data.summary.reference) || WA.referenceOf(id);
    const body = JSON.stringify({ field, value, reason });
    const item = {
      key: WA.keyFor(amendForm, body), body, url: `${WA.API}/${encodeURIComponent(id)}/amendments`,
      label: `An addition to search ${reference} (${FIELD[field] || field})`, searchId: id,
      queuedAt: new Date().toISOString(), tries: 0, notBefore: 0,
    };
    const queued = lines => {
      resetAmend();
      setResult(amendResult, 'queued', lines);
    };

    const hold = WA.queueHold(WA.readQueue());
    if (hold.until > Date.now()) {
      item.holdUntil = hold.until;
      item.holdStatus = hold.status;
      WA.enqueue(item);
      queued([`Saved on this phone, not sent yet. ${WA.holdText(hold.status, hold.until - Date.now())}`, 'It is sent automatically then.']);
      return;
    }
    amendForm.dataset.busy = '1';
    try {
      const outcome = await WA.request('POST', item.url, body, item.key);
      if (outcome.kind === 'ok') {
        resetAmend();
        await load('Addition saved. The original stays as it was logged.');
        setResult(amendResult, 'ok', ['Addition saved. The original stays as it was logged.']);
      } else if (outcome.kind === 'retry' || outcome.kind === 'auth') {
        WA.enqueue(item);
        const wait = WA.recordFailure(item.key, outcome);
        queued([outcome.kind === 'auth'
          ? `Saved on this phone, not sent yet. ${WA.SIGNED_OUT_TEXT}`
          : wait ? `Saved on this phone, not sent yet. ${WA.holdText(outcome.problem.status, wait)}`
            : `Saved on this phone, not sent yet. ${outcome.network ? 'No connection right now.' : WA.describeProblem(outcome.problem)}`,
        'It is sent automatically, once, when the connection returns.']);
      } else if (outcome.kind === 'invalid') {
        WA.showErrors(amendForm, amendErrors, outcome.problem.errors);
      } else {
        setResult(amendResult, 'error', [`Not saved. ${WA.describeProblem(outcome.problem)}`]);
      }
    } finally {
      delete amendForm.dataset.busy;
    }
  });

  function resetAmend() {
    amendForm.reset();
    delete amendForm.dataset.key;
    delete amendForm.dataset.lastBody;
    $('#amend-value-field').hidden = false;
    $('#amend').open = false;
  }

  document.addEventListener('welfareaudit:additions-sent', () => {
    if (current && current.view === 'search') { load('Waiting additions were sent and saved.'); }
  });

  // ---------------------------------------------------------------- the next-session sheet

  /** The latest text for a field: the last addition when there is one, else the original. */
  function latest(d, field, original) {
    const list = amendmentsFor(d, field).filter(a => a.value);
    return list.length ? String(list[list.length - 1].value) : original;
  }

  function para(label, text, testid) {
    return el('div', { class: 'sheet-part' }, el('h2', { text: label }), el('p', { text, 'data-testid': testid }));
  }

  const longDate = new Intl.DateTimeFormat(undefined,
    { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  function spoken(iso) {
    const t = new Date(iso);
    return Number.isNaN(t.getTime()) ? '' : longDate.format(t);
  }

  function renderSheet(d) {
    const s = d.summary || {};
    const e = d.entry || {};
    const crisis = e.crisis || {};
    const scope = e.scope || {};
    const parts = [];
    parts.push(para('When', `On ${spoken(latest(d, 'occurredAt', e.occurredAt))} I looked for information about you online.`, 'sheet-when'));
    parts.push(para('Why', `I was worried about your safety: ${latest(d, 'crisis.dangerSuspected', crisis.dangerSuspected || '')}`, 'sheet-why'));
    parts.push(para('Why I had to search', latest(d, 'justification', e.justification || ''), 'sheet-justification'));
    const attempts = (Array.isArray(crisis.contactAttempts) ? crisis.contactAttempts : [])
      .slice().sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .map(a => `${TRIED[a.channel] || 'I tried to reach you'} (${spoken(a.at)}).`);
    parts.push(el('div', { class: 'sheet-part' }, el('h2', { text: 'What I tried first' }),
      el('p', { text: 'Before searching I tried the usual ways to reach you, and they did not work:' }),
      list(attempts)));
    const sources = (Array.isArray(scope.sources) ? scope.sources : []).map(x => (SOURCE[x] || x));
    let looked = sources.length ? `I looked at: ${sources.join(', ')}.` : '';
    if (Array.isArray(scope.queries) && scope.queries.length) { looked += ` I searched for: ${scope.queries.join('; ')}.`; }
    parts.push(para('Where I looked', looked, 'sheet-looked'));
    parts.push(para('What I found', latest(d, 'findings', e.findings) || 'Nothing that needed noting.', 'sheet-found'));
    let done = latest(d, 'actionsTaken', e.actionsTaken) || 'Nothing further.';
    const tp = e.thirdPartyContacted;
    if (tp) { done += ` I contacted ${tp.recipient} and told them: ${tp.disclosed}`; }
    parts.push(para('What I did', done, 'sheet-did'));
    $('#sheet-body').replaceChildren(...parts);

    $('#sheet-back').href = `#search/${encodeURIComponent(current.id)}`;
    const awaiting = s.status === 'awaiting-discussion';
    const canWrite = WA.hooks.canWrite ? WA.hooks.canWrite(s.therapist) : true;
    $('#sheet-discuss').hidden = !awaiting || !canWrite;
    if (!awaiting && s.status === 'discussed') {
      $('#sheet-status').textContent = `Discussed with the client ${WA.formatTime(s.discussedAt)}.`;
    }
    $('#sheet-discussedAt-hint').textContent = `In your phone's time zone (${timeZoneName()}). Set when you open this form; "Now" sets it again.`;
  }

  const sheetForm = $('#sheet-form');
  const sheetErrors = $('#sheet-errors');
  $('#sheet-print').addEventListener('click', () => window.print());
  $('#sheet-discuss').addEventListener('toggle', () => {
    if ($('#sheet-discuss').open && !$('#sheet-discussedAt').value) { WA.setNow($('#sheet-discussedAt')); }
  });
  $('#sheet-discussedAt-now').addEventListener('click', () => WA.setNow($('#sheet-discussedAt')));

  sheetForm.addEventListener('submit', async event => {
    event.preventDefault();
    if (sheetForm.dataset.busy || !current) { return; }
    const id = current.id;
    sheetForm.dataset.busy = '1';
    try {
      const outcome = await WA.sendDiscussion(sheetForm, sheetErrors, id);
      if (!outcome) { return; }
      if (outcome.kind === 'ok') {
        sheetForm.reset();
        delete sheetForm.dataset.key;
        $('#sheet-discuss').open = false;
        WA.loadList();
        pendingMessage = 'Discussion recorded. Reminders for this search have stopped.';
        location.hash = `#search/${id}`;
        WA.announce(pendingMessage);
      } else if (outcome.kind === 'invalid') {
        WA.showErrors(sheetForm, sheetErrors, outcome.problem.errors);
      } else if (outcome.kind === 'retry' && outcome.network) {
        setResult($('#sheet-result'), 'error', ['No connection: the discussion was not saved. Try again when you are online; what you typed is kept.']);
      } else {
        setResult($('#sheet-result'), 'error', [`Not saved. ${WA.describeProblem(outcome.problem)}`]);
      }
    } finally {
      delete sheetForm.dataset.busy;
    }
  });

  window.addEventListener('hashchange', route);
  route();
})();
