// WelfareAudit phone page: logging faster and never losing a draft (on top of app.js, window.WelfareAudit).
// - Times: "When did you search" is set when its field or "Now" is tapped; every time field's label names the
//   phone's time zone; a refusal because the phone's clock is ahead says what to do.
// - One tap per usual contact channel, and "n minutes ago" for when it was tried.
// - Drafts: the unfinished entry is kept in the same store as the unsent queue (localStorage), restored after a
//   reload, a tab the phone discarded or an app switch, removed when the search is saved or queued; leaving with
//   unsaved changes asks first.
(() => {
  'use strict';

  const WA = window.WelfareAudit;
  if (!WA) { return; }
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  const DRAFT_KEY = 'welfareaudit.draft.v1';
  const form = $('#search-form');
  const occurredAt = $('#occurredAt');

  // ---------------------------------------------------------------- times name the time zone

  const zone = (() => {
    try {
      const name = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
      const part = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date()).find(p => p.type === 'timeZoneName');
      return part && name ? `${part.value}, ${name.replace(/_/g, ' ')}` : (part ? part.value : name);
    } catch { return ''; }
  })();

  /** Adds "(CET, Europe/Berlin)" to the label of every datetime field under root, once. */
  function nameZones(root) {
    if (!zone || !root.querySelectorAll) { return; }
    for (const input of $$('input[type="datetime-local"]', root)) {
      for (const label of Array.from(input.labels || [])) {
        if (label.querySelector('.zone')) { continue; }
        const span = document.createElement('span');
        span.className = 'zone';
        span.textContent = ` (${zone})`;
        const mark = label.querySelector('.req-mark');
        if (mark) { mark.before(span); } else { label.append(span); }
      }
    }
  }

  // ---------------------------------------------------------------- the search time: the moment of the tap

  function setSearchTimeOnTap() {
    if (!occurredAt.value) { WA.setNow(occurredAt); saveDraft(); }
  }
  occurredAt.addEventListener('pointerdown', setSearchTimeOnTap);
  occurredAt.addEventListener('focus', setSearchTimeOnTap);

  /** A refusal because the phone's clock is ahead: say what to do, next to the server's words. */
  function explainClock(p) {
    if (p.dataset.clockExplained || !/future/i.test(p.textContent)) { return; }
    const owner = p.dataset.owner ? document.getElementById(p.dataset.owner) : null;
    if (!owner || owner.type !== 'datetime-local') { return; }
    p.dataset.clockExplained = '1';
    const span = document.createElement('span');
    span.textContent = ' If you entered the right time, this phone\'s clock is probably ahead: set its date and time to automatic in the phone\'s settings, then tap "Now" again.';
    p.append(span);
  }

  // ---------------------------------------------------------------- one tap per usual contact, "n minutes ago"

  const CHANNELS = [['phone', 'Phone'], ['missedAppointment', 'Missed appointment'], ['email', 'Email'], ['emergencyContact', 'Emergency contact']];
  const AGO = [15, 30, 60];

  function addChannelButtons() {
    const box = document.createElement('div');
    box.className = 'chips';
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Add a usual means you tried, in one tap');
    for (const [value, text] of CHANNELS) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'chip';
      b.setAttribute('data-testid', `channel-${value}`);
      b.append(WA.visuallyHidden('Tried: '), text);
      b.addEventListener('click', () => useChannel(value, text));
      box.append(b);
    }
    $('#attempts').before(box);
  }

  /** Fills the first attempt without a channel, or adds one; its time comes next ("n minutes ago"). */
  function useChannel(value, text) {
    let row = $$('.attempt', form).find(fs => !$('.attempt-channel', fs).value);
    if (!row) {
      $('#add-attempt').click();
      row = $$('.attempt', form).pop();
    }
    $('.attempt-channel', row).value = value;
    saveDraft();
    WA.announce(`${text} added as ${$('.attempt-legend', row).textContent.toLowerCase()}. Now say when.`);
    const first = $('.chip', row);
    if (first) { first.focus(); }
  }

  function addAgoButtons(fs) {
    if (fs.querySelector('.chips')) { return; }
    const at = $('.attempt-at', fs);
    const box = document.createElement('div');
    box.className = 'chips';
    for (const minutes of AGO) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'chip';
      b.setAttribute('data-ago', String(minutes));
      b.append(minutes < 60 ? `${minutes} min ago` : `${minutes / 60} h ago`);
      b.addEventListener('click', () => {
        at.value = WA.toLocalInput(new Date(Date.now() - minutes * 60000));
        saveDraft();
      });
      box.append(b);
    }
    at.after(box);
    nameAgoButtons(fs);
  }

  /** "30 min ago" is named with its attempt for screen readers: "30 min ago (attempt 2)". */
  function nameAgoButtons(fs) {
    const legend = $('.attempt-legend', fs);
    for (const b of $$('[data-ago]', fs)) {
      const minutes = Number(b.dataset.ago);
      b.setAttribute('data-testid', `${fs.dataset.field ? fs.dataset.field.replace(/^crisis\.contactAttempts\[(\d+)\]$/, 'attempt-$1') : 'attempt'}-ago-${minutes}`);
      b.setAttribute('aria-label', `${b.textContent} (${legend ? legend.textContent.toLowerCase() : 'attempt'})`);
    }
  }

  // ---------------------------------------------------------------- drafts

  let restoring = false;
  let dirty = false;

  function meaningful(d) {
    const c = d.crisis || {};
    return Boolean(d.clientRef || c.dangerSuspected || c.riskLevel || d.justification || d.findings || d.actionsTaken
      || (d.scope && ((d.scope.sources || []).length || (d.scope.queries || []).length))
      || (c.contactAttempts || []).some(a => a.channel || a.at) || d.thirdPartyContacted || d.nextSessionAt);
  }

  function saveDraft() {
    if (restoring) { return; }
    const draft = WA.readDraft();
    dirty = meaningful(draft);
    try {
      if (dirty) { localStorage.setItem(DRAFT_KEY, JSON.stringify({ savedAt: new Date().toISOString(), draft })); } else { localStorage.removeItem(DRAFT_KEY); }
    } catch { /* storage unavailable: the draft lives as long as the page */ }
  }

  function clearDraft() {
    dirty = false;
    try { localStorage.removeItem(DRAFT_KEY); } catch { /* nothing stored */ }
  }

  function restoreDraft() {
    let stored = null;
    try { stored = JSON.parse(localStorage.getItem(DRAFT_KEY) || 'null'); } catch { stored = null; }
    if (!stored || !stored.draft) { return; }
    restoring = true;
    try { WA.fillForm(stored.draft); } finally { restoring = false; }
    dirty = true;
    const note = $('#draft-note');
    note.hidden = false;
    $('#draft-note-text').textContent = `Your unfinished entry from ${WA.formatTime(stored.savedAt)} was kept on this phone and is back in the form.`;
  }

  WA.hooks.afterReset = () => {
    if (!restoring) { clearDraft(); $('#draft-note').hidden = true; }
    for (const fs of $$('.attempt', form)) { addAgoButtons(fs); }
  };

  form.addEventListener('input', saveDraft);
  form.addEventListener('change', saveDraft);
  // An app switch or a tab the phone is about to discard: the draft is already stored; store it once more.
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') { saveDraft(); } });
  window.addEventListener('pagehide', saveDraft);
  window.addEventListener('beforeunload', event => {
    if (!dirty) { return; }
    event.preventDefault();
    event.returnValue = '';      // the browser asks "Leave site? Changes you made may not be saved."
  });

  $('#draft-discard').addEventListener('click', () => {
    form.reset();
    WA.fillForm({});
    clearDraft();
    $('#draft-note').hidden = true;
    WA.announce('Unfinished entry discarded.');
    $('#clientRef').focus();
  });

  // ---------------------------------------------------------------- start

  const observer = new MutationObserver(records => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1) { continue; }
        nameZones(n);
        if (n.matches('.attempt')) { addAgoButtons(n); }
        if (n.matches('.field-error')) { explainClock(n); }
      }
      if (r.type === 'characterData' || r.type === 'childList') {
        const p = r.target.nodeType === 1 ? r.target.closest('.field-error') : r.target.parentElement && r.target.parentElement.closest('.field-error');
        if (p) { explainClock(p); }
      }
      if (r.type === 'attributes' && r.target.matches('.attempt')) { nameAgoButtons(r.target); }
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-field'] });

  addChannelButtons();
  for (const fs of $$('.attempt', form)) { addAgoButtons(fs); }
  nameZones(document);
  restoreDraft();
})();
