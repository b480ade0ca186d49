// WelfareAudit supervisor page: the audit export (GET /api/audit/export), read as a stream so the page can
// show what has arrived and cancel, then handed to the browser as a download with the server's file name.
// The file is held in memory only until it is handed over; nothing is written to browser storage.

import { send, readProblem, formatBytes, formatNumber, el, announce, showFieldError, clearFieldErrors } from './supervisor-api.js';

const $ = (sel, root = document) => root.querySelector(sel);

const FORMAT_TEXT = { bundle: 'bundle', csv: 'CSV', fhir: 'FHIR', html: 'HTML report' };

/** The file name from `Content-Disposition: attachment; filename="…"`, kept to safe characters. */
function fileName(res, format) {
  const header = res.headers.get('content-disposition') || '';
  const match = /filename="?([^";]+)"?/i.exec(header);
  const name = match ? match[1].replace(/[^A-Za-z0-9._-]/g, '_') : '';
  return name || `welfareaudit-export.${format === 'bundle' ? 'jsonl' : format}`;
}

/**
 * Counts what a bundle has delivered: its first line (the manifest) says how many events follow, and every
 * later line is one record, so the page can show "events n of m" as well as bytes.
 */
function bundleCounter() {
  const decoder = new TextDecoder();
  let head = '';
  let read = false;        // the manifest line has been read
  let total = 0;
  let lines = 0;
  return {
    accept(chunk) {
      if (!read) {
        head += decoder.decode(chunk, { stream: true });
        const end = head.indexOf('\n');
        if (end < 0) { return; }
        read = true;
        try {
          const manifest = JSON.parse(head.slice(0, end));
          total = manifest && manifest.counts && Number.isInteger(manifest.counts.events) ? manifest.counts.events : 0;
        } catch { total = 0; }
        lines = head.split('\n').length - 1;
        head = '';
        return;
      }
      for (const byte of chunk) { if (byte === 10) { lines++; } }
    },
    // The manifest, its signature, then the events (then the end line).
    events() { return total > 0 ? Math.max(0, Math.min(total, lines - 2)) : null; },
    total() { return total > 0 ? total : null; },
  };
}

export function createExport({ onExported }) {
  const form = $('#sv-export-form');
  const errors = $('#sv-export-errors');
  const start = $('#sv-export-start');
  const progress = $('#sv-export-progress');
  const bar = $('#sv-export-bar');
  const received = $('#sv-export-received');
  const label = $('#sv-export-progress-label');
  const result = $('#sv-export-result');
  const cancel = $('#sv-export-cancel');
  let controller = null;
  let completed = false;

  function showResult(kind, lines) {
    result.className = `save-result ${kind}`;
    result.replaceChildren(...lines.map(text => el('p', text)));
  }

  function clearErrors() {
    errors.hidden = true;
    $('ul', errors).replaceChildren();
    clearFieldErrors(form);
  }

  /** Field errors from the server's problem (keyed by query parameter), next to each control and in a summary. */
  function showErrors(problemErrors) {
    clearErrors();
    const list = $('ul', errors);
    for (const [name, messages] of Object.entries(problemErrors)) {
      const text = [].concat(messages).join(' ');
      const control = showFieldError(form, name, text);
      const caption = control ? (control.tagName === 'FIELDSET' ? $('legend', control).textContent : control.labels[0].textContent) : name;
      const item = el('li');
      if (control) {
        item.append(el('a', `${caption} — ${text}`, { href: `#${control.id}` }));
      } else {
        item.textContent = `${caption} — ${text}`;
      }
      list.append(item);
    }
    errors.hidden = false;
    errors.focus();
  }

  /** While exporting: the progress and Cancel. After a complete export the progress stays, full, without Cancel. */
  function setBusy(busy, completed) {
    const hadFocus = progress.contains(document.activeElement) || document.activeElement === start;
    progress.hidden = !busy && !completed;
    cancel.hidden = !busy;
    start.disabled = busy;
    // Keep the keyboard where the action is: on Cancel while exporting, back on Export afterwards.
    if (hadFocus) { (busy ? cancel : start).focus(); }
  }

  function query() {
    const q = new URLSearchParams();
    const format = form.querySelector('input[name="sv-format"]:checked').value;
    q.set('format', format);
    const from = $('#sv-from').value;
    const to = $('#sv-to').value;
    const therapist = $('#sv-export-therapist').value;
    if (from) { q.set('from', from); }
    if (to) { q.set('to', to); }
    if (therapist) { q.set('therapist', therapist); }
    if ($('#sv-withhold').checked) { q.set('withholdClientRef', 'true'); }
    return { format, url: `api/audit/export?${q}` };
  }

  function refusal(problem) {
    switch (problem.status) {
      case 403: return 'Not exported: the Supervisor role is required.';
      case 404: return 'Not exported: there is no ledger for that therapist.';
      case 409: return `Not exported: the therapist's ledger failed verification, so nothing was signed or exported. ${problem.detail} Verify the ledgers below and tell whoever runs the practice's system.`;
      case 429: return `Not exported: at most a few exports are allowed in a short time. Try again in ${problem.retryAfterSeconds || 60} s.`;
      case 503: return 'Not exported: storage or the key store is unavailable. Try again in a moment.';
      default: return `Not exported. ${problem.detail || problem.title || `The server answered with status ${problem.status}.`}`;
    }
  }

  /** Hands the file to the browser as a download, with the server's name. */
  function download(chunks, type, name) {
    const url = URL.createObjectURL(new Blob(chunks, { type }));
    const a = el('a', null, { href: url, download: name, hidden: '' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  async function run(event) {
    event.preventDefault();
    if (controller) { return; }
    clearErrors();
    const { format, url } = query();
    controller = new AbortController();
    const signal = controller.signal;
    completed = false;
    setBusy(true);
    bar.removeAttribute('value');
    bar.removeAttribute('max');
    label.textContent = `Exporting the ${FORMAT_TEXT[format]}`;
    received.textContent = 'Preparing: verifying every ledger and signing a checkpoint. Large practices take a while.';
    showResult('', []);
    announce(`Export of the ${FORMAT_TEXT[format]} started.`);
    try {
      const sent = await send('GET', url, { signal, headers: { Accept: '*/*' } });
      if (sent.signedOut) {
        showResult('error', ['Not exported: you are signed out. Sign in again with the link at the top of the page.']);
        return;
      }
      if (sent.network) {
        showResult(sent.aborted ? 'queued' : 'error', [sent.aborted ? 'Export cancelled before it started. Nothing was downloaded.' : 'Not exported: no connection.']);
        return;
      }
      const res = sent.res;
      if (!res.ok) {
        const problem = await readProblem(res);
        if (problem.status === 400 && problem.errors) { showErrors(problem.errors); showResult('error', ['Not exported: some choices need attention.']); } else { showResult('error', [refusal(problem)]); }
        return;
      }
      const name = fileName(res, format);
      const excluded = res.headers.get('x-excluded-ledgers');
      const counter = format === 'bundle' ? bundleCounter() : null;
      const chunks = [];
      let bytes = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) { break; }
        chunks.push(value);
        bytes += value.byteLength;
        if (counter) { counter.accept(value); }
        const events = counter && counter.events();
        if (events != null) {
          bar.max = counter.total();
          bar.value = events;
          received.textContent = `Received ${formatBytes(bytes)}: ${formatNumber(events)} of ${formatNumber(counter.total())} events.`;
        } else {
          received.textContent = `Received ${formatBytes(bytes)}.`;
        }
      }
      bar.max = 1;
      bar.value = 1;
      download(chunks, res.headers.get('content-type') || 'application/octet-stream', name);
      const lines = [`Exported ${name} (${formatBytes(bytes)}). Your browser saves it as a download.`];
      if (format === 'bundle') { lines.push('A board verifies it offline with the welfare-audit tool and the practice\'s public key, obtained apart from the file.'); }
      if (excluded) { lines.push(`Left out because their ledger failed verification: ${excluded}. See the ledger verification above.`); }
      completed = true;
      showResult(excluded ? 'queued' : 'ok', lines);
      announce(`Export finished: ${name}.`);
      onExported();
    } catch (e) {
      if (signal.aborted) {
        showResult('queued', ['Export cancelled. Nothing was saved. The ledgers still record that an export was started.']);
        announce('Export cancelled.');
      } else {
        showResult('error', ['The export was cut off before it was complete, so nothing was saved. Try again.']);
      }
    } finally {
      controller = null;
      setBusy(false, completed);
    }
  }

  form.addEventListener('submit', run);
  cancel.addEventListener('click', () => { if (controller) { controller.abort(); } });
}
