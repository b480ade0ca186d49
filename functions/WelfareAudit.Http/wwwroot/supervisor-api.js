// WelfareAudit supervisor page: API calls and small shared pieces of the supervisor's views (ES module).
// The same rules as app.js: same-origin credentials, never cached, redirects not followed, and
// X-Requested-With so that App Service Authentication answers an expired sign-in with 401, not a redirect.
// Nothing read here is ever written to browser storage.

// The calls themselves are app.js's (window.WelfareAudit.send, .readProblem): one place for those rules.
const WA = window.WelfareAudit;

/**
 * One API call. Answers { network } when nothing came back ({ aborted } too when `signal` was aborted), { signedOut }
 * for 401 or a redirect (to sign-in; app.js shows its notice), else { res }. `signal` replaces the default deadline
 * (the export's own cancel button).
 */
export function send(method, url, { body, headers, signal } = {}) {
  return WA.send(method, url, body, headers, signal);
}

/** The problem document of a refused request (RFC 9457), tolerating any body; never throws. */
export async function readProblem(res) {
  const problem = await WA.readProblem(res);
  return { ...problem, retryAfterSeconds: Math.ceil(problem.retryAfter / 1000) };
}

/** GET a JSON document: { ok, data } or { ok: false, network | signedOut | problem }. */
export async function getJson(url) {
  const sent = await send('GET', url);
  if (!sent.res) { return { ok: false, ...sent }; }
  if (!sent.res.ok) { return { ok: false, problem: await readProblem(sent.res) }; }
  try {
    return { ok: true, data: await sent.res.json() };
  } catch {
    return { ok: false, problem: { status: sent.res.status, title: '', detail: 'The server sent an unreadable answer.', errors: null, retryAfterSeconds: 0 } };
  }
}

/** Why a read failed, in the page's words. */
export function failureText(result, what) {
  if (result.network) { return `Cannot load ${what}: no connection.`; }
  if (result.signedOut) { return `Cannot load ${what}: you are signed out. Sign in again with the link at the top of the page.`; }
  const p = result.problem;
  if (p.status === 403) { return `Cannot load ${what}: the Supervisor role is required.`; }
  if (p.status === 429) { return `Too many requests — try again in ${p.retryAfterSeconds || 60} s.`; }
  if (p.status === 503) { return `Cannot load ${what}: the service is temporarily unavailable. Try again in a moment.`; }
  return `Cannot load ${what}. ${p.detail || p.title || `The server answered with status ${p.status}.`}`;
}

export function newIdempotencyKey() {
  return crypto.randomUUID();
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO time in the browser's local time zone, or '' for none. */
export function formatTime(iso) {
  if (!iso) { return ''; }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateFormat.format(d);
}

const numberFormat = new Intl.NumberFormat();

export function formatNumber(n) { return numberFormat.format(n); }

export function formatBytes(n) {
  if (n < 1024) { return `${formatNumber(n)} bytes`; }
  if (n < 1024 * 1024) { return `${(n / 1024).toFixed(1)} KB`; }
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function plural(n, one, many) { return `${formatNumber(n)} ${n === 1 ? one : many}`; }

/** A new element with text (never HTML) and attributes. */
export function el(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text != null) { node.textContent = String(text); }
  for (const [name, value] of Object.entries(attributes || {})) { node.setAttribute(name, value); }
  return node;
}

/**
 * Shows a message next to the control whose data-field names the field (a JSON path or query parameter), ties
 * it to the control (aria-describedby, aria-invalid) and answers the control, or null when the form has none.
 */
export function showFieldError(form, field, message) {
  const target = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (!target || !target.id) { return null; }
  const id = `${target.id}-error`;
  const p = el('p', message, { id, class: 'field-error', 'data-testid': 'field-error' });
  if (target.tagName === 'FIELDSET') { target.querySelector('legend').after(p); } else { (target.closest('.check') || target).before(p); }
  target.setAttribute('aria-invalid', 'true');
  const ids = (target.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  target.setAttribute('aria-describedby', [...ids, id].join(' '));
  return target;
}

export function clearFieldErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) { p.remove(); }
  for (const target of form.querySelectorAll('[aria-invalid]')) {
    target.removeAttribute('aria-invalid');
    const ids = (target.getAttribute('aria-describedby') || '').split(/\s+/).filter(x => x && !x.endsWith('-error'));
    if (ids.length) { target.setAttribute('aria-describedby', ids.join(' ')); } else { target.removeAttribute('aria-describedby'); }
  }
}

let announceTimer = 0;
/** Says something through the page's assertive live region (from index.html), repeated messages again. */
export function announce(message) {
  const announcer = document.getElementById('announcer');
  if (!announcer) { return; }
  clearTimeout(announceTimer);
  announcer.textContent = '';
  announceTimer = setTimeout(() => { announcer.textContent = message; }, 60);
}

export const RISK_TEXT = { low: 'Low', moderate: 'Moderate', high: 'High', imminent: 'Imminent' };
export const STATUS_TEXT = { 'awaiting-discussion': 'Awaiting discussion', discussed: 'Discussed', closed: 'Closed' };
export const OUTCOME_TEXT = { appropriate: 'Appropriate', concern: 'Concern', 'follow-up-needed': 'Follow-up needed' };
