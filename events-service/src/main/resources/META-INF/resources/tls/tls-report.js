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

  function renderReport(report, limit) {
    const domains = report.domains || [];
    const rows = domains.map((d) => el('tr', {'data-domain': d.domain},
      el('th', {scope: 'row', class: 'domain'}, d.domain),
      el('td', {class: 'num messages'}, d.messages),
      el('td', {class: 'num attempts'}, d.attempts),
      el('td', {class: 'num delivered'}, d.delivered),
      el('td', {class: 'num tls-share', 'data-value': d.tls_share}, percent(d.tls_share)),
      el('td', {class: 'num valid-cert-share', 'data-value': d.valid_cert_share}, percent(d.valid_cert_share)),
      el('td', {class: 'num blocked-no-tls'}, d.blocked_no_tls),
      el('td', {class: 'num deferred-bad-cert'}, d.deferred_bad_cert),
      el('td', {class: 'tls-versions'}, counts(d.tls_versions)),
      el('td', {class: 'cert-errors'}, certErrors(d.cert_errors))));
    if (rows.length === 0) {
      rows.push(el('tr', {class: 'empty'}, el('td', {colspan: 10}, 'No delivery attempts in this range.')));
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
    renderChart(domains);
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

  /** Horizontal bars, one per domain row shown: the share of delivered messages that went over TLS. */
  function renderChart(domains) {
    const labelWidth = 260;
    const barWidth = 360;
    const rowHeight = 26;
    const width = labelWidth + barWidth + 90;
    const height = Math.max(1, domains.length) * rowHeight + 8;
    const chart = svg('svg', {
      viewBox: '0 0 ' + width + ' ' + height, width: width, height: height,
      role: 'img', 'aria-labelledby': 'chart-caption', class: 'tls-chart',
    });
    if (domains.length === 0) {
      chart.appendChild(svg('text', {x: 0, y: 18, class: 'chart-empty'}, 'Nothing to chart.'));
    }
    domains.forEach((d, i) => {
      const y = 4 + i * rowHeight;
      const share = d.tls_share;
      const label = d.domain.length > 30 ? d.domain.slice(0, 29) + '…' : d.domain;
      chart.appendChild(svg('g', {class: 'bar-row', 'data-domain': d.domain},
        svg('title', {}, d.domain + ': ' + (share === null || share === undefined
          ? 'no delivered messages' : percent(share) + ' of delivered messages over TLS')),
        svg('text', {x: labelWidth - 8, y: y + 15, class: 'bar-label', 'text-anchor': 'end'}, label),
        svg('rect', {x: labelWidth, y: y, width: barWidth, height: rowHeight - 8, class: 'bar-track'}),
        svg('rect', {
          x: labelWidth, y: y, height: rowHeight - 8,
          width: share === null || share === undefined ? 0 : (share * barWidth).toFixed(1),
          class: 'bar ' + (share === null || share === undefined ? 'bar-none' : share >= 0.995 ? 'bar-full' : 'bar-partial'),
          'data-share': share === null || share === undefined ? '' : share,
        }),
        svg('text', {x: labelWidth + barWidth + 8, y: y + 15, class: 'bar-value'},
          share === null || share === undefined ? 'n/a' : percent(share))));
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
      el('td', {class: 'mx-cert-verdict'}, certificateVerdict(mx))));
    if (mxRows.length === 0) {
      mxRows.push(el('tr', {class: 'empty'}, el('td', {colspan: 9}, 'No mail servers found for this domain.')));
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
      el('div', {class: 'table-wrap'}, el('table', {id: 'mx-table'},
        el('caption', {}, 'MX hosts in preference order, as Letterlock saw them'),
        el('thead', {}, el('tr', {},
          ['Host', 'Preference', 'Address', 'Reachable', 'STARTTLS', 'TLS versions offered',
            'Negotiated', 'Certificate', 'Certificate verdict'].map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, mxRows))),
      el('h3', {}, 'What Letterlock would do'),
      el('table', {id: 'verdict-table'},
        el('caption', {}, 'Outcome under each Enforced TLS setting'),
        el('thead', {}, el('tr', {},
          ['require_tls', 'require_valid_cert', 'Outcome', 'Why', 'MX host'].map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, verdictRows)));
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
