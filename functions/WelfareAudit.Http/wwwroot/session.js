// WelfareAudit phone page: who is signed in, and what they are shown. App Service Authentication's own
// /.auth/me says who the user is and which app roles they hold; "Signed in as …" and a sign-out
// (/.auth/logout) show on every view. A supervisor without the Therapist role is not shown the logging form (the
// API would refuse it) but their own start page (#supervisor-start); a user with both roles sees whose each
// search is, and can change only their own. Without /.auth/me (signed out, or a host without it) the page stays
// the therapist's page, as before.
(() => {
  'use strict';

  const WA = window.WelfareAudit;
  if (!WA) { return; }
  const $ = (sel, root = document) => root.querySelector(sel);

  const OID_TYPES = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
  const ROLE_TYPES = ['roles', 'role', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
  const NAME_TYPES = ['name', 'preferred_username', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];

  const me = { known: false, objectId: '', name: '', therapist: true, supervisor: false };

  function claim(claims, types) {
    const c = claims.find(x => x && types.includes(x.typ) && typeof x.val === 'string' && x.val);
    return c ? c.val : '';
  }

  /** Reads /.auth/me ([{ user_id, user_claims: [{typ, val}] }]); false when the host has none or the user is signed out. */
  async function whoAmI() {
    let res;
    try {
      res = await fetch('/.auth/me', {
        headers: { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
        cache: 'no-store', credentials: 'same-origin', redirect: 'manual',
      });
    } catch { return false; }
    if (!res.ok || !(res.headers.get('content-type') || '').includes('json')) { return false; }
    let body;
    try { body = await res.json(); } catch { return false; }
    const entry = Array.isArray(body) ? body[0] : null;
    if (!entry || !Array.isArray(entry.user_claims)) { return false; }
    const claims = entry.user_claims;
    const roles = claims.filter(x => x && ROLE_TYPES.includes(x.typ)).map(x => x.val);
    me.known = true;
    me.objectId = claim(claims, OID_TYPES);
    me.name = claim(claims, NAME_TYPES) || (typeof entry.user_id === 'string' ? entry.user_id : '');
    me.therapist = roles.includes('Therapist');
    me.supervisor = roles.includes('Supervisor');
    return true;
  }

  function render() {
    const line = $('#whoami');
    line.hidden = !me.known;
    $('#whoami-name').textContent = me.name || 'you';
    $('#whoami-role').textContent = me.therapist && me.supervisor ? ' (therapist and supervisor)' : me.supervisor ? ' (supervisor)' : '';
    const start = $('#supervisor-start');
    start.hidden = !me.supervisor;
    $('#supervisor-tab').hidden = !me.supervisor;
    if (me.supervisor && !me.therapist) {
      // Nothing to log or discuss: the API refuses a supervisor's writes. Their own start page instead.
      for (const s of ['#log', '#awaiting']) { $(s).hidden = true; }
      for (const a of document.querySelectorAll('.tabs a[href="#log"], .tabs a[href="#awaiting"]')) { a.hidden = true; }
      document.title = 'WelfareAudit — supervisor';
    }
  }

  WA.hooks.whose = therapist => {
    if (!me.known || !me.supervisor || !therapist) { return ''; }
    return therapist === me.objectId ? 'Yours' : `Another therapist's (${String(therapist).slice(0, 8)}…)`;
  };
  WA.hooks.canWrite = therapist => !me.known || (me.therapist && (!therapist || !me.objectId || therapist === me.objectId));
  WA.hooks.decorateItem = (li, item) => {
    const whose = WA.hooks.whose(item.therapist);
    if (whose) {
      const facts = li.querySelector('.item-facts');
      const row = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = 'Whose search';
      const dd = document.createElement('dd');
      dd.textContent = whose;
      dd.setAttribute('data-testid', 'item-whose');
      row.append(dt, dd);
      facts.prepend(row);
    }
    if (!WA.hooks.canWrite(item.therapist)) {
      for (const d of li.querySelectorAll('.item-action')) { d.hidden = true; }
    }
  };
  WA.hooks.afterRoute = view => {
    if (!view && me.known) { render(); }
  };

  whoAmI().then(known => {
    if (!known) { return; }
    render();
    if (me.supervisor) { WA.loadList(); }     // label whose each search is
  });
})();
