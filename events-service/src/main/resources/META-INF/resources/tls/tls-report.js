// The TLS report page: the report table and chart (GET /v3/tls/report) and the domain check
// (GET /v3/tls/check/{domain}). Plain DOM, no framework, no network but this service's own API.
//
// Domain names, certificate subjects and SMTP replies are written by whoever runs the receiving
// server: every piece of API text goes into the page as a text node (textContent), never as HTML.
'use strict';

(function () {
  const KEY_STORAGE = 'letterlock.tls-report.api-key';
  const SVG = 'http://www.w3.org/2000/svg';

  // Each sortable column: the API's sort value on the first choice, the reverse on the next, and
  // what aria-sort says about each (the API sorts volume busiest first, shares worst first).
  // The API sorts, not the page, so that every page of a long report follows one order.
  const SORTS = {
    domain: [{sort: 'domain', aria: 'ascending'}, {sort: '-domain', aria: 'descending'}],
    volume: [{sort: 'volume', aria: 'descending'}, {sort: '-volume', aria: 'ascending'}],
    tls_share: [{sort: 'tls_share', aria: 'ascending'}, {sort: '-tls_share', aria: 'descending'}],
    valid_cert_share: [{sort: 'valid_cert_share', aria: 'ascending'}, {sort: '-valid_cert_share', aria: 'descending'}],
  };

  const state = {sort: 'volume', offset: 0, reportRequest: 0, checkRequest: 0};

  const byId = (id) => document.getElementById(id);

  /** An element with attributes and children; strings become text nodes, so they are never parsed. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) {
        node.setAttribute(name, String(value));
      }
    }
    append(node, children);
    return node;
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined) {
        continue;
      }
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  // ---- API key: session storage only, never in a URL, never logged ----

  function apiKey() {
    return sessionStorage.getItem(KEY_STORAGE);
  }

  function showKeyStatus() {
    byId('key-status').textContent = apiKey()
      ? 'A key is set for this tab.'
      : 'No key yet: enter your API key to see your report.';
  }

  // ---- API calls and their errors ----

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  async function getJson(path) {
    const key = apiKey();
    if (!key) {
      throw new ApiError('Enter your API key first.', 0);
    }
    let response;
    try {
      response = await fetch(path, {
        headers: {'Authorization': 'Bearer ' + key, 'Accept': 'application/json'},
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      throw new ApiError('Could not reach the service (' + e.message + '). Is events-service running?', 0);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      throw new ApiError(errorMessage(response, body), response.status);
    }
    return body;
  }

  /** A sentence for each status a person can act on; the API's own messages follow it. */
  function errorMessage(response, body) {
    const details = body && Array.isArray(body.errors)
      ? body.errors.map((e) => (e.field ? e.field + ': ' : '') + (e.message || '')).join('; ')
      : '';
    const withDetails = (sentence) => details ? sentence + ' ' + details : sentence;
    switch (response.status) {
      case 401:
        return 'The API key was not accepted (401). Check it and enter it again.';
      case 403:
        return withDetails('This key may not see that (403).');
      case 400:
        return withDetails('The service refused the request (400):');
      case 429: {
        const wait = response.headers.get('Retry-After');
        return withDetails('Too many requests (429)' + (wait ? '; try again in ' + wait + ' s.' : '; try again shortly.'));
      }
      case 503:
        return withDetails('The service is not ready yet (503); try again shortly.');
      default:
        return withDetails('The request failed (' + response.status + ').');
    }
  }

  function showError(id, error) {
    const node = byId(id);
    node.textContent = error ? error.message : '';
    node.hidden = !error;
    if (error) {
      node.dataset.status = String(error.status);
    } else {
      delete node.dataset.status;
    }
  }

  /** Marks a section done; the count tells a watcher (or a test) that a new answer arrived. */
  function finished(section, outcome) {
    section.dataset.state = outcome;
    section.dataset.answers = String(Number(section.dataset.answers || 0) + 1);
  }

  // ---- formatting ----

  function percent(share) {
    return share === null || share === undefined ? '—' : (share * 100).toFixed(1) + ' %';
  }

  function counts(map) {
    const entries = Object.entries(map || {});
    return entries.length === 0 ? '—' : entries.map(([name, n]) => name + ': ' + n).join(', ');
  }

  function certErrors(list) {
    return !list || list.length === 0 ? '—' : list.map((e) => e.error + ': ' + e.count).join(', ');
  }

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  // ---- the report ----

  async function loadReport() {
    const section = byId('report');
    const request = ++state.reportRequest;
    const limit = Number(byId('page-size').value);
    const params = new URLSearchParams({
      from: byId('from').value,
      to: byId('to').value,
      sort: state.sort,
      limit: String(limit),
      offset: String(state.offset),
    });
    section.dataset.state = 'loading';
    byId('report-table').setAttribute('aria-busy', 'true');
    try {
      const report = await getJson('/v3/tls/report?' + params);
      if (request !== state.reportRequest) {
        return; // a later request (another sort or page) owns the table now
      }
      showError('report-error', null);
      renderReport(report, limit);
      finished(section, 'loaded');
    } catch (error) {
      if (request !== state.reportRequest) {
        return;
      }
      showError('report-error', error);
      finished(section, 'error');
    } finally {
      if (request === state.reportRequest) {
        byId('report-table').setAttribute('aria-busy', 'false');
      }
    }
  }

  // The parts of a domain's stacked bar, in the API's names, in the order they are drawn.
  const OUTCOMES = [
    ['valid_cert', 'valid certificate'],
    ['tls_bad_cert', 'TLS, bad certificate'],
    ['cleartext', 'cleartext'],
    ['blocked_no_tls', 'blocked: no TLS'],
    ['bounced_other', 'bounced otherwise'],
    ['deferred', 'deferred'],
  ];

  /**
   * A share of the domain's messages, shown only when something was delivered: "0.0 %" for a
   * domain whose every message was blocked and "n/a" for one still waiting said two things about
   * one fact (nothing arrived); now both say "none delivered", and the bar says why.
   */
  function shareCell(className, share, delivered) {
    const none = !delivered;
    return el('td', {class: 'num ' + className + (none ? ' none' : ''), 'data-value': none ? '' : share},
      none ? 'none delivered' : percent(share));
  }

  /** One bar per domain: its messages by outcome and its deferred attempts, stacked. */
  function outcomeBar(d) {
    const parts = OUTCOMES.map(([key, label]) => ({key, label, count: Number((d.outcomes || {})[key] || 0)}));
    const total = parts.reduce((sum, p) => sum + p.count, 0);
    const said = parts.filter((p) => p.count > 0).map((p) => p.count + ' ' + p.label).join(', ') || 'nothing yet';
    // The cell's title is the tooltip and the hidden text what a screen reader says: the picture is hidden.
    const bar = svg('svg', {viewBox: '0 0 200 14', preserveAspectRatio: 'none', class: 'outcome-bar', 'aria-hidden': 'true'});
    let x = 0;
    for (const part of parts) {
      if (part.count === 0 || total === 0) {
        continue;
      }
      const width = part.count / total * 200;
      bar.appendChild(svg('rect', {
        x: x.toFixed(2), y: 0, width: width.toFixed(2), height: 14, class: 'seg seg-' + part.key,
        'data-part': part.key, 'data-count': part.count,
      }));
      x += width;
    }
    return el('td', {class: 'outcomes', title: said}, bar, el('span', {class: 'visually-hidden'}, said));
  }

  /** Versions and top certificate errors, one line each, cut with an ellipsis; the whole text in the title. */
  function detailsCell(d) {
    const versions = counts(d.tls_versions);
    const errors = certErrors(d.cert_errors);
    return el('td', {class: 'details'},
      el('span', {class: 'tls-versions', title: versions}, versions),
      el('span', {class: 'cert-errors', title: errors}, errors));
  }

  function renderReport(report, limit) {
    const domains = report.domains || [];
    const rows = domains.map((d) => el('tr', {'data-domain': d.domain},
      el('th', {scope: 'row', class: 'domain', title: d.domain}, d.domain),
      el('td', {class: 'num messages'}, d.messages),
      outcomeBar(d),
      shareCell('valid-cert-share', d.valid_cert_share, d.delivered),
      shareCell('tls-share', d.tls_share, d.delivered),
      el('td', {class: 'num blocked-no-tls'}, d.blocked_no_tls),
      el('td', {class: 'num deferred'}, (d.outcomes || {}).deferred ?? 0),
      detailsCell(d)));
    if (rows.length === 0) {
      rows.push(el('tr', {class: 'empty'}, el('td', {colspan: 8}, 'No delivery attempts in this range.')));
    }
    byId('report-rows').replaceChildren(...rows);

    const total = report.total_domains || 0;
    const first = domains.length === 0 ? 0 : state.offset + 1;
    const last = state.offset + domains.length;
    byId('report-summary').textContent = total + (total === 1 ? ' domain' : ' domains')
      + ' from ' + report.from + ' to ' + report.to + '.';
    byId('page-info').textContent = domains.length === 0 ? '' : 'Domains ' + first + '–' + last + ' of ' + total;
    byId('prev-page').disabled = state.offset === 0;
    byId('next-page').disabled = last >= total;
    byId('prev-page').dataset.offset = String(Math.max(0, state.offset - limit));
    byId('next-page').dataset.offset = String(last);
    markSortedColumn();
    renderTrend(report);
  }

  function markSortedColumn() {
    for (const th of document.querySelectorAll('#report-table th[data-sort]')) {
      const choice = SORTS[th.dataset.sort].find((c) => c.sort === state.sort);
      th.setAttribute('aria-sort', choice ? choice.aria : 'none');
    }
  }

  function sortBy(column) {
    const choices = SORTS[column];
    const current = choices.findIndex((c) => c.sort === state.sort);
    // A new column starts at its natural order; the same column again flips it.
    state.sort = choices[(current + 1) % choices.length].sort;
    state.offset = 0;
    markSortedColumn();
    loadReport();
  }

  /** The days from..to (UTC), each once; only the days with data when the range is very long. */
  function trendDays(report) {
    const known = new Map((report.days || []).map((day) => [day.date, day]));
    const from = new Date(report.from + 'T00:00:00Z');
    const to = new Date(report.to + 'T00:00:00Z');
    const span = Math.round((to - from) / 86400000) + 1;
    if (!(span > 0) || span > 400) {
      return [...known.values()];
    }
    const days = [];
    for (let i = 0; i < span; i++) {
      const date = isoDay(new Date(from.getTime() + i * 86400000));
      days.push(known.get(date) || {date, messages: 0, delivered: 0, valid_cert: 0, valid_cert_share: null});
    }
    return days;
  }

  /**
   * A column per day: the share of that day's messages (every domain of the account) delivered
   * with a valid certificate. A day without messages has no column and says so, rather than
   * showing a zero that would read as a failure.
   */
  function renderTrend(report) {
    const days = trendDays(report);
    const left = 44;
    const plotHeight = 140;
    const top = 10;
    const step = Math.max(6, Math.min(72, Math.floor(760 / Math.max(1, days.length))));
    const width = left + days.length * step + 10;
    const height = top + plotHeight + 40;
    const chart = svg('svg', {
      viewBox: '0 0 ' + width + ' ' + height, width: width, height: height,
      role: 'img', 'aria-labelledby': 'chart-caption', class: 'trend-chart',
    });
    for (const tick of [0, 0.5, 1]) {
      const y = top + plotHeight * (1 - tick);
      chart.appendChild(svg('line', {x1: left, x2: width - 10, y1: y, y2: y, class: 'grid'}));
      chart.appendChild(svg('text', {x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis'}, (tick * 100) + ' %'));
    }
    if (days.length === 0) {
      chart.appendChild(svg('text', {x: left + 8, y: top + plotHeight / 2, class: 'chart-empty'}, 'Nothing to chart.'));
    }
    const labelEvery = Math.ceil(days.length / 12);
    days.forEach((day, i) => {
      const x = left + i * step + 1;
      const share = day.valid_cert_share;
      const none = share === null || share === undefined;
      const said = day.date + ': ' + (none ? 'no messages'
        : percent(share) + ' of ' + day.messages + (day.messages === 1 ? ' message' : ' messages')
          + ' delivered with a valid certificate');
      const barHeight = none ? 0 : share * plotHeight;
      const group = svg('g', {class: 'trend-day', 'data-date': day.date, 'data-share': none ? '' : share},
        svg('title', {}, said),
        svg('rect', {x: x, y: top, width: step - 2, height: plotHeight, class: 'bar-track'}),
        svg('rect', {x: x, y: (top + plotHeight - barHeight).toFixed(1), width: step - 2,
          height: barHeight.toFixed(1), class: 'trend-bar' + (none ? ' trend-none' : '')}));
      if (none) {
        group.appendChild(svg('text', {x: x + (step - 2) / 2, y: top + plotHeight - 4, 'text-anchor': 'middle',
          class: 'trend-empty'}, '–'));
      }
      if (i % labelEvery === 0) {
        group.appendChild(svg('text', {x: x + (step - 2) / 2, y: top + plotHeight + 16, 'text-anchor': 'middle',
          class: 'axis'}, day.date.slice(5)));
      }
      chart.appendChild(group);
    });
    byId('chart').replaceChildren(chart);
  }

  // ---- the domain check ----

  async function runCheck(domain) {
    const section = byId('check');
    const request = ++state.checkRequest;
    section.dataset.state = 'loading';
    byId('check-result').replaceChildren();
    try {
      const result = await getJson('/v3/tls/check/' + encodeURIComponent(domain));
      if (request !== state.checkRequest) {
        return;
      }
      showError('check-error', null);
      renderCheck(result);
      finished(section, 'loaded');
    } catch (error) {
      if (request !== state.checkRequest) {
        return;
      }
      showError('check-error', error);
      finished(section, 'error');
    }
  }

  function yesNo(value) {
    return value === true ? 'yes' : value === false ? 'no' : '—';
  }

  function certificateVerdict(mx) {
    if (mx.cert_valid === true) {
      return el('span', {class: 'verdict good'}, 'valid');
    }
    if (mx.cert_valid === false) {
      return el('span', {class: 'verdict bad'}, 'not valid' + (mx.cert_error ? ': ' + mx.cert_error : ''));
    }
    return el('span', {class: 'verdict none'}, 'no certificate seen');
  }

  function certificateDetails(certificate) {
    if (!certificate) {
      return '—';
    }
    const line = (name, value) => value === null || value === undefined || value === ''
      ? null : el('div', {}, el('span', {class: 'field'}, name + ': '), value);
    return el('div', {class: 'certificate'},
      line('Subject', certificate.subject),
      line('Issuer', certificate.issuer),
      line('Names', (certificate.san || []).join(', ')),
      line('Valid', (certificate.not_before || '?') + ' – ' + (certificate.not_after || '?')),
      line('SHA-256', certificate.sha256));
  }

  /** The domain's MTA-STS policy in a sentence: what it asks, or why there is none. */
  function mtaStsSummary(sts) {
    if (!sts) {
      return 'MTA-STS: not looked up.';
    }
    if (!sts.policy) {
      return 'MTA-STS: no policy' + (sts.error ? ' (' + sts.error + ')' : '') + '.';
    }
    return 'MTA-STS: mode ' + sts.mode + ', MX ' + (sts.mx || []).join(', ') + ', max_age ' + sts.max_age
      + ' s (id ' + sts.id + ')' + (sts.error ? '; last refresh failed: ' + sts.error : '') + '.';
  }

  /** One host's DANE state and whether the domain's MTA-STS policy lists it. */
  function receiverRules(mx) {
    const parts = [];
    if (mx.dane) {
      parts.push('DANE: ' + mx.dane.status
        + (mx.dane.chain_matches === true ? ', chain matches' : mx.dane.chain_matches === false ? ', chain does not match' : '')
        + (mx.dane.detail ? ' (' + mx.dane.detail + ')' : ''));
    }
    if (mx.mta_sts_listed === true || mx.mta_sts_listed === false) {
      parts.push(mx.mta_sts_listed ? 'listed by MTA-STS' : 'not listed by MTA-STS');
    }
    return parts.length ? parts.join('; ') : '—';
  }

  function renderCheck(result) {
    const mxRows = (result.mx || []).map((mx) => el('tr', {'data-host': mx.host},
      el('th', {scope: 'row', class: 'mx-host'}, mx.host),
      el('td', {class: 'num mx-preference'}, mx.preference),
      el('td', {class: 'mx-address'}, mx.address ? mx.address + (mx.port ? ':' + mx.port : '') : '—'),
      el('td', {class: 'mx-reachable'}, mx.reachable ? 'yes' : 'no' + (mx.error ? ': ' + mx.error : '')),
      el('td', {class: 'mx-starttls'}, yesNo(mx.starttls)
        + (mx.starttls_error ? '; refused: ' + mx.starttls_error : '')
        + (mx.handshake_error ? '; handshake failed: ' + mx.handshake_error : '')),
      el('td', {class: 'mx-tls-versions'}, (mx.tls_versions || []).join(', ') || '—'),
      el('td', {class: 'mx-negotiated'}, mx.tls_version ? mx.tls_version + (mx.tls_cipher ? ' / ' + mx.tls_cipher : '') : '—'),
      el('td', {class: 'mx-certificate'}, certificateDetails(mx.certificate)),
      el('td', {class: 'mx-cert-verdict'}, certificateVerdict(mx)),
      el('td', {class: 'mx-receiver'}, receiverRules(mx))));
    if (mxRows.length === 0) {
      mxRows.push(el('tr', {class: 'empty'}, el('td', {colspan: 10}, 'No mail servers found for this domain.')));
    }
    const verdictRows = (result.verdicts || []).map((v) => el('tr', {class: 'verdict-row outcome-' + v.outcome},
      el('td', {class: 'require-tls'}, yesNo(v.require_tls)),
      el('td', {class: 'require-valid-cert'}, yesNo(v.require_valid_cert)),
      el('td', {class: 'outcome'}, v.outcome),
      el('td', {class: 'reason'}, v.reason || '—'),
      el('td', {class: 'verdict-mx'}, v.mx || '—')));
    const versionsChecked = result.tls_versions_checked && result.tls_versions_checked.length
      ? 'TLS versions tried one by one: ' + result.tls_versions_checked.join(', ') + '.'
        + (result.tls_versions_note ? ' ' + result.tls_versions_note : '')
      : null;

    byId('check-result').replaceChildren(
      el('h3', {id: 'check-result-heading'}, 'Mail servers of ' + result.domain),
      el('p', {class: 'help', id: 'check-when'}, 'Checked at ' + result.checked_at
        + (result.cached ? ' (a recent answer, reused)' : '')),
      result.error ? el('p', {class: 'error', id: 'check-domain-error'}, result.error) : null,
      versionsChecked ? el('p', {class: 'help', id: 'check-versions'}, versionsChecked) : null,
      el('p', {id: 'check-mta-sts'}, mtaStsSummary(result.mta_sts)),
      el('div', {class: 'table-wrap'}, el('table', {id: 'mx-table'},
        el('caption', {}, 'MX hosts in preference order, as Letterlock saw them'),
        el('thead', {}, el('tr', {},
          ['Host', 'Preference', 'Address', 'Reachable', 'STARTTLS', 'TLS versions offered',
            'Negotiated', 'Certificate', 'Certificate verdict', 'DANE / MTA-STS'].map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, mxRows))),
      el('h3', {}, 'What Letterlock would do'),
      el('table', {id: 'verdict-table'},
        el('caption', {}, 'Outcome under each Enforced TLS setting'),
        el('thead', {}, el('tr', {},
          ['require_tls', 'require_valid_cert', 'Outcome', 'Why', 'MX host'].map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, verdictRows)),
      requireTlsSummary(result.requiretls_verdict));
  }

  /** What a message that asks for REQUIRETLS (RFC 8689) would meet: it requires TLS and a valid certificate whatever the settings. */
  function requireTlsSummary(v) {
    if (!v) {
      return null;
    }
    return el('p', {id: 'check-requiretls', class: 'outcome-' + v.outcome},
      'A message that asks for REQUIRETLS: ' + v.outcome + (v.reason ? ' (' + v.reason + ')' : '')
        + (v.mx ? ', by ' + v.mx : '') + '.');
  }

  // ---- wiring ----

  function start() {
    const today = new Date();
    const weekAgo = new Date(today.getTime() - 6 * 24 * 3600 * 1000);
    byId('from').value = isoDay(weekAgo);
    byId('to').value = isoDay(today);
    showKeyStatus();

    byId('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const key = byId('api-key').value.trim();
      if (!key) {
        showError('report-error', new ApiError('Enter your API key first.', 0));
        return;
      }
      sessionStorage.setItem(KEY_STORAGE, key);
      byId('api-key').value = '';
      showKeyStatus();
      state.offset = 0;
      loadReport();
    });
    byId('forget-key').addEventListener('click', () => {
      sessionStorage.removeItem(KEY_STORAGE);
      byId('api-key').value = '';
      showKeyStatus();
    });
    byId('range-form').addEventListener('submit', (event) => {
      event.preventDefault();
      state.offset = 0;
      loadReport();
    });
    for (const th of document.querySelectorAll('#report-table th[data-sort]')) {
      th.querySelector('button').addEventListener('click', () => sortBy(th.dataset.sort));
    }
    for (const id of ['prev-page', 'next-page']) {
      byId(id).addEventListener('click', () => {
        state.offset = Number(byId(id).dataset.offset || 0);
        loadReport();
      });
    }
    byId('check-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const domain = byId('check-domain').value.trim();
      if (!domain) {
        showError('check-error', new ApiError('Enter a domain to check.', 0));
        return;
      }
      runCheck(domain);
    });

    if (apiKey()) {
      loadReport();
    }
  }

  start();
})();
