// Gantry web UI: the live parts only (the pages work without it). No inline scripts: the pages
// carry their URLs in data attributes, and text from builds is only ever set with textContent.
(function () {
  'use strict';

  // ANSI SGR colours to classes, as Ansi.java does on the server.
  function ansiSpans(line) {
    var out = [];
    var st = { fg: -1, bg: -1, b: false, i: false, u: false };
    var re = /\u001b(?:\[([0-9;?]*)([@-~])|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|.)/g;
    var last = 0, m;
    function push(text) {
      if (!text) { return; }
      var cls = [];
      if (st.fg >= 0) { cls.push('a-f' + st.fg); }
      if (st.bg >= 0) { cls.push('a-g' + st.bg); }
      if (st.b) { cls.push('a-b'); }
      if (st.i) { cls.push('a-i'); }
      if (st.u) { cls.push('a-u'); }
      out.push({ cls: cls.join(' '), text: text });
    }
    while ((m = re.exec(line)) !== null) {
      push(line.substring(last, m.index));
      last = re.lastIndex;
      if (m[2] !== 'm') { continue; }
      var ps = (m[1] || '0').split(';');
      for (var k = 0; k < ps.length; k++) {
        var p = ps[k] === '' ? 0 : parseInt(ps[k], 10);
        if (p === 0) { st = { fg: -1, bg: -1, b: false, i: false, u: false }; }
        else if (p === 1) { st.b = true; } else if (p === 3) { st.i = true; } else if (p === 4) { st.u = true; }
        else if (p === 22) { st.b = false; } else if (p === 23) { st.i = false; } else if (p === 24) { st.u = false; }
        else if (p >= 30 && p <= 37) { st.fg = p - 30; } else if (p >= 90 && p <= 97) { st.fg = p - 82; }
        else if (p === 39) { st.fg = -1; } else if (p >= 40 && p <= 47) { st.bg = p - 40; }
        else if (p >= 100 && p <= 107) { st.bg = p - 92; } else if (p === 49) { st.bg = -1; }
        else if (p === 38 || p === 48) { k += ps[k + 1] === '5' ? 2 : ps[k + 1] === '2' ? 4 : 0; }
      }
    }
    push(line.substring(last));
    return out;
  }

  var MAX_LINES = 5000; // older lines leave the page: a huge live log never freezes the browser

  function lineElement(offset, text) {
    var div = document.createElement('div');
    div.className = 'line';
    div.id = 'o' + offset;
    var a = document.createElement('a');
    a.className = 'ln';
    a.href = '#o' + offset;
    a.tabIndex = -1;
    a.setAttribute('aria-label', 'Link to this line');
    div.appendChild(a);
    var ts = document.createElement('span');
    ts.className = 'ts';
    var now = new Date();
    ts.textContent = now.toTimeString().substring(0, 8);
    div.appendChild(ts);
    var t = document.createElement('span');
    t.className = 't';
    ansiSpans(text.replace(/\r$/, '')).forEach(function (s) {
      if (s.cls) {
        var span = document.createElement('span');
        span.className = s.cls;
        span.textContent = s.text;
        t.appendChild(span);
      } else {
        t.appendChild(document.createTextNode(s.text));
      }
    });
    div.appendChild(t);
    return div;
  }

  function utf8Length(s) {
    return new TextEncoder().encode(s).length;
  }

  var CLASSES = { SUCCESS: 'success', FAILURE: 'failure', UNSTABLE: 'unstable', RUNNING: 'running', ABORTED: 'aborted' };

  // The segment (of the event's "steps") that holds the byte at offset: the last one starting at or before it.
  function segmentAt(segs, offset) {
    var found = null;
    for (var i = 0; segs && i < segs.length && segs[i].start <= offset; i++) { found = segs[i]; }
    return found;
  }

  // Where a live line goes: the step's block when it is the last one on the page, else a new block.
  function blockFor(log, seg) {
    if (!seg || !seg.id) { return log; }
    var last = log.lastElementChild;
    var status = seg.status || 'RUNNING';
    if (last && last.tagName === 'DETAILS' && last.getAttribute('data-step') === seg.id) {
      if (seg.status) {
        last.className = 'step ' + (CLASSES[status] || 'none');
        last.querySelector('summary .dur').textContent = status;
      }
      return last;
    }
    var d = document.createElement('details');
    d.className = 'step ' + (CLASSES[status] || 'none');
    d.open = true;
    d.setAttribute('data-step', seg.id);
    d.setAttribute('data-title', seg.title || seg.id);
    var sum = document.createElement('summary');
    var title = document.createElement('span');
    title.className = 'title';
    title.textContent = seg.title || seg.id;
    var dur = document.createElement('span');
    dur.className = 'dur';
    dur.textContent = status;
    sum.appendChild(title);
    sum.appendChild(dur);
    d.appendChild(sum);
    log.appendChild(d);
    return d;
  }

  function followLog(log, onEnd) {
    var url = log.getAttribute('data-stream');
    var offset = parseInt(log.getAttribute('data-offset'), 10) || 0;
    if (!url || !window.EventSource) { return; }
    var es = new EventSource(url + '?start=' + offset + '&steps=true');
    var count = log.querySelectorAll('.line').length;
    es.onmessage = function (ev) {
      var data = JSON.parse(ev.data);
      if (typeof data.text !== 'string') { return; }
      var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      var start = data.start;
      var lines = data.text.split('\n');
      if (lines[lines.length - 1] === '') { lines.pop(); }
      lines.forEach(function (line) {
        blockFor(log, segmentAt(data.steps, start)).appendChild(lineElement(start, line));
        start += utf8Length(line) + 1;
        count++;
      });
      while (count > MAX_LINES) {
        var first = log.querySelector('.line');
        if (!first) { break; }
        var parent = first.parentNode;
        parent.removeChild(first);
        count--;
        if (parent !== log && !parent.querySelector('.line')) { parent.parentNode.removeChild(parent); }
      }
      log.setAttribute('data-offset', ev.lastEventId);
      if (atBottom) { log.scrollTop = log.scrollHeight; }
    };
    es.addEventListener('end', function () {
      es.close();
      log.removeAttribute('data-running');
      onEnd();
    });
  }

  // The stage graph, status and pending inputs: the server renders the fragment again.
  function refreshLive(live, again) {
    var url = live.getAttribute('data-live');
    fetch(url, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('live');
        var current = document.getElementById('live');
        if (!fresh || !current) { return; }
        // Keep what the user is typing into an input form.
        if (current.contains(document.activeElement) && document.activeElement.form) {
          schedule(again);
          return;
        }
        current.replaceWith(document.adoptNode(fresh));
        if (fresh.hasAttribute('data-running')) { schedule(again); }
      })
      .catch(function () { schedule(again); });
  }

  function schedule(again) {
    if (again) { setTimeout(again, 1000); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var live = document.getElementById('live');
    var log = document.getElementById('log');
    if (live && live.hasAttribute('data-running')) {
      var loop = function () { refreshLive(document.getElementById('live'), loop); };
      schedule(loop);
    }
    if (log && log.hasAttribute('data-stream') && log.hasAttribute('data-running')) {
      log.scrollTop = log.scrollHeight;
      followLog(log, function () {
        var l = document.getElementById('live');
        if (l) { refreshLive(l, null); }
      });
    } else if (log && !location.hash) {
      log.scrollTop = log.scrollHeight;
    }
  });
}());
