/*
 * draw-verify.js: an independent verifier of draw records of `supervision-draw/2`,
 * written from docs/draw-algorithm.md (and the sections of docs/draw-algorithm-1.md it refers to) alone.
 *
 * Runs in a web browser as a classic <script> (it sets globalThis.verifyDrawRecord) and in Node 20
 * (module.exports = { verifyDrawRecord }). No imports, no dependencies, no server call: SHA-256 and
 * HMAC-SHA-256 come from WebCrypto (globalThis.crypto.subtle), UTF-8 from TextEncoder, NFC from
 * String.prototype.normalize.
 *
 *   verifyDrawRecord(record, { expectCommitment?: hex, expectRecord?: hex })
 *     -> Promise<{ matches: boolean, part: string|null, message: string }>
 *
 * `part` names the first failing check exactly as section 10 of the spec lists them (`algorithm`,
 * `canonical.<file>`, `canonical.outputs.<name>`, `commitment`, `commitmentSha256`, `expect.commitment`,
 * `files.parameters`, `files.targets`, `files.sources`, `files.quotas`, `acts`, `recordSha256`,
 * `expect.record`, `randomness.<name>`, `contribution.<party>`, `outputs.targets`, `outputs.teams`,
 * `outputs.batches`, `acts.draw`, `outputs.<name>`, `replacements`, `outputs.replacements`), or `record`
 * for a record that is not an object of the required members and JSON types. It never throws.
 */
(function () {
  'use strict';

  var ALGORITHM = 'supervision-draw/2';
  var FILES = ['parameters', 'targets', 'exclusions', 'inspectors', 'conflicts', 'quotas', 'sources'];
  var OUTPUTS = ['targets', 'teams', 'batches', 'replacements'];
  var SIGN_BATCH = 1024; // concurrent HMAC signs per Promise.all (measured: larger batches are not faster)

  // ---------------------------------------------------------------- failures

  function Failure(part, message) {
    this.part = part;
    this.message = message;
  }
  function fail(part, message) {
    throw new Failure(part, message);
  }

  // ---------------------------------------------------------------- text helpers

  var UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  var NUMBER_RE = /^(0|[1-9][0-9]*)$/;
  var HEX64_RE = /^[0-9a-f]{64}$/;
  var HEX16_RE = /^[0-9a-f]{16}$/;
  var INSTANT_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/;
  var DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
  var SOURCE_NAME_RE = /^[a-z0-9-]{1,40}$/;
  var ROLE_RE = /^[a-z][a-z0-9-]*$/;
  var BAD_ESCAPE_RE = /%(?!25|7C|0A|0D)/;
  var LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  // Exactly the 25 code points of Unicode White_Space (section 2); not JavaScript's \s.
  var WS = '\\u0009-\\u000D\\u0020\\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
  var WS_RUN_RE = new RegExp('[' + WS + ']+', 'g');
  var WS_LEAD_RE = new RegExp('^[' + WS + ']+');
  var WS_TRAIL_RE = new RegExp('[' + WS + ']+$');
  var WS_EDGE_RE = new RegExp('^[' + WS + ']|[' + WS + ']$');

  function isWellFormed(s) {
    if (typeof s.isWellFormed === 'function') return s.isWellFormed();
    return !LONE_SURROGATE_RE.test(s);
  }

  // Bytewise (UTF-8, memcmp) order of two JavaScript strings. UTF-8 byte order is code point order; UTF-16
  // code unit order differs only where a surrogate (U+D800-U+DFFF, i.e. a code point above U+FFFF) meets a
  // unit in U+E000-U+FFFF, so the first differing units are remapped before comparing.
  function cmp(a, b) {
    if (a === b) return 0;
    var n = a.length < b.length ? a.length : b.length;
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xd800 && y >= 0xd800) {
          x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
          y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }

  function decodeField(f) {
    return f.indexOf('%') < 0 ? f : f.replace(/%(25|7C|0A|0D)/g, function (_, h) {
      return h === '25' ? '%' : h === '7C' ? '|' : h === '0A' ? '\n' : '\r';
    });
  }
  function encodeField(v) {
    return v.replace(/%/g, '%25').replace(/\|/g, '%7C').replace(/\n/g, '%0A').replace(/\r/g, '%0D');
  }

  function isNumber(s) {
    return NUMBER_RE.test(s);
  }
  // A decimal number as a JS number; numbers beyond 2^53 become Infinity (only ever compared with ranges).
  function num(s) {
    return s.length > 15 ? Infinity : parseInt(s, 10);
  }
  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = '0' + s;
    return s;
  }
  function validYmd(y, m, d) {
    var yy = parseInt(y, 10), mm = parseInt(m, 10), dd = parseInt(d, 10);
    if (mm < 1 || mm > 12 || dd < 1) return false;
    var days = [31, (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return dd <= days[mm - 1];
  }
  function isInstant(s) {
    var m = INSTANT_RE.exec(s);
    return !!m && validYmd(m[1], m[2], m[3]) && +m[4] < 24 && +m[5] < 60 && +m[6] < 60;
  }
  function isDate(s) {
    var m = DATE_RE.exec(s);
    return !!m && validYmd(m[1], m[2], m[3]);
  }
  function isActor(s) {
    var p = s.split(':');
    return p.length === 3 && ROLE_RE.test(p[0]) && UUID_RE.test(p[1]) && HEX16_RE.test(p[2]);
  }
  function actorPerson(s) {
    return s.split(':')[2];
  }
  function codePointLength(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }
  // Section 4.1: NFC, then leading/trailing white space removed, then every run of white space -> U+0020.
  function canonicalValue(v) {
    return v.normalize('NFC').replace(WS_LEAD_RE, '').replace(WS_TRAIL_RE, '').replace(WS_RUN_RE, ' ');
  }
  function show(s) {
    if (s === undefined) return '(none)';
    var t = JSON.stringify(s);
    return t.length > 200 ? t.slice(0, 200) + '…"' : t;
  }
  function linesOf(text) {
    return text === '' ? [] : text.slice(0, -1).split('\n');
  }
  function fileText(lines) {
    return lines.length === 0 ? '' : lines.join('\n') + '\n';
  }
  function sortBytewise(arr) {
    return arr.sort(cmp);
  }

  // ---------------------------------------------------------------- crypto

  var HEX = [];
  for (var hx = 0; hx < 256; hx++) HEX.push((hx < 16 ? '0' : '') + hx.toString(16));
  function toHex(buf) {
    var b = new Uint8Array(buf);
    var s = '';
    for (var i = 0; i < b.length; i++) s += HEX[b[i]];
    return s;
  }
  function fromHex(h) {
    var b = new Uint8Array(h.length / 2);
    for (var i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16);
    return b;
  }
  var encoder = new TextEncoder();
  function utf8(s) {
    return encoder.encode(s);
  }
  function subtle() {
    var c = typeof globalThis !== 'undefined' ? globalThis.crypto : undefined;
    if (!c || !c.subtle) throw new Error('WebCrypto (crypto.subtle) is not available here');
    return c.subtle;
  }
  function sha256(bytes) {
    return subtle().digest('SHA-256', bytes);
  }
  function sha256Hex(text) {
    return sha256(utf8(text)).then(toHex);
  }
  function hmacKey(rawKey) {
    return subtle().importKey('raw', rawKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  }

  // key(label) = HMAC-SHA256(PRK, UTF-8(label) || 0x01), computed for many labels: the signs of one batch run
  // concurrently (crypto.subtle is asynchronous), batches one after the other. Returns hex strings.
  function Keyer(prkKey) {
    this.key = prkKey;
    this.count = 0;
  }
  Keyer.prototype.many = async function (labels) {
    var out = new Array(labels.length);
    var s = subtle();
    var key = this.key;
    for (var start = 0; start < labels.length; start += SIGN_BATCH) {
      var end = Math.min(labels.length, start + SIGN_BATCH);
      var promises = new Array(end - start);
      for (var i = start; i < end; i++) {
        var l = utf8(labels[i]);
        var m = new Uint8Array(l.length + 1);
        m.set(l);
        m[l.length] = 1;
        promises[i - start] = s.sign('HMAC', key, m);
      }
      var sigs = await Promise.all(promises);
      for (var j = 0; j < sigs.length; j++) out[start + j] = toHex(sigs[j]);
    }
    this.count += labels.length;
    return out;
  };

  // ---------------------------------------------------------------- canonical files (section 2)

  function uuidField(f) {
    return UUID_RE.test(f);
  }

  // Line forms: the first field, the number of fields and the field forms. Returns an error text or null.
  // The line form of the parameters file is only `P` and at least two more fields (section 2's table); the syntax of
  // each key's values is part of files.parameters, checked by parameterSyntax from checkParameters.
  var LINE_FORMS = {
    parameters: function (f) {
      if (f[0] !== 'P') return 'the first field is not P';
      if (f.length < 3) return 'fewer than 3 fields';
      return null;
    },
    parameterSyntax: function (f) {
      var key = f[1];
      var v = f.slice(2);
      switch (key) {
        case 'algorithm': case 'plan': case 'task': case 'record-public':
          return v.length === 1 ? null : 'P|' + key + '| takes one value';
        case 'batches': case 'inspectors-per-target': case 'load-cap': case 'partial-teams': case 'pool-as-of-sequence':
          if (v.length !== 1) return 'P|' + key + '| takes one value';
          return isNumber(v[0]) ? null : 'P|' + key + '| is not a decimal number';
        case 'draw': case 'replaces':
          if (v.length !== 1) return 'P|' + key + '| takes one value';
          return uuidField(v[0]) ? null : 'P|' + key + '| is not a lowercase UUID';
        case 'window':
          if (v.length !== 2) return 'P|window| takes two dates';
          return isDate(v[0]) && isDate(v[1]) ? null : 'P|window| dates are not yyyy-MM-dd';
        case 'team':
          if (v.length !== 3) return 'P|team| takes position, department and count';
          if (!/^[0-9]{2}$/.test(v[0])) return 'P|team| position is not 2 digits';
          if (!uuidField(v[1])) return 'P|team| department is not a lowercase UUID';
          return isNumber(v[2]) ? null : 'P|team| count is not a decimal number';
        case 'sampling':
          if (v[0] === 'ratio' || v[0] === 'fixed') {
            if (v.length !== 2) return 'P|sampling|' + v[0] + '| takes one number';
            return isNumber(v[1]) ? null : 'P|sampling|' + v[0] + '| is not a decimal number';
          }
          if (v[0] === 'class') {
            if (v.length !== 3) return 'P|sampling|class| takes a class and a number';
            return isNumber(v[2]) ? null : 'P|sampling|class| ratio is not a decimal number';
          }
          return null; // an unknown sampling form is a files.parameters failure
        default:
          return null; // an unknown key is a files.parameters failure
      }
    },
    targets: function (f) {
      if (f[0] !== 'T') return 'the first field is not T';
      if (f.length !== 4) return 'not 4 fields';
      return uuidField(f[2]) ? null : 'the targetId is not a lowercase UUID';
    },
    exclusions: function (f) {
      if (f[0] !== 'X') return 'the first field is not X';
      if (f.length !== 5) return 'not 5 fields';
      if (f[1] !== 'target' && f[1] !== 'inspector') return 'the kind is neither target nor inspector';
      if (!uuidField(f[2])) return 'the id is not a lowercase UUID';
      return null;
    },
    inspectors: function (f) {
      if (f[0] !== 'I') return 'the first field is not I';
      if (f.length !== 4) return 'not 4 fields';
      if (!uuidField(f[1])) return 'the inspectorId is not a lowercase UUID';
      if (!uuidField(f[2])) return 'the departmentId is not a lowercase UUID';
      return f[3] === '0' || f[3] === '1' ? null : 'expert is neither 0 nor 1';
    },
    conflicts: function (f) {
      if (f[0] !== 'C') return 'the first field is not C';
      if (f.length !== 3) return 'not 3 fields';
      return uuidField(f[1]) && uuidField(f[2]) ? null : 'an id is not a lowercase UUID';
    },
    quotas: function (f) {
      if (f[0] !== 'Q') return 'the first field is not Q';
      if (f.length !== 4) return 'not 4 fields';
      return isNumber(f[2]) && isNumber(f[3]) ? null : 'pool size or quota is not a decimal number';
    },
    sources: function (f) {
      if (f[0] !== 'S') return 'the first field is not S';
      return f.length === 5 ? null : 'not 5 fields';
    },
    'outputs.targets': function (f) {
      if (f[0] !== 'S') return 'the first field is not S';
      if (f.length !== 5) return 'not 5 fields';
      if (!/^[0-9]{7}$/.test(f[2])) return 'the rank is not 7 digits';
      if (!uuidField(f[3])) return 'the targetId is not a lowercase UUID';
      return HEX64_RE.test(f[4]) ? null : 'the key is not 64 lowercase hex';
    },
    'outputs.teams': function (f) {
      if (f[0] !== 'M') return 'the first field is not M';
      if (f.length !== 5) return 'not 5 fields';
      if (!uuidField(f[1])) return 'the targetId is not a lowercase UUID';
      if (!/^[0-9]{2}$/.test(f[2]) || f[2] === '00') return 'the slot is not 2 digits from 01';
      if (f[3] !== '-' && !uuidField(f[3])) return 'the member is neither an inspectorId nor -';
      return f[4] === '*' || uuidField(f[4]) ? null : 'the department is neither a departmentId nor *';
    },
    'outputs.batches': function (f) {
      if (f[0] !== 'B') return 'the first field is not B';
      if (f.length !== 3) return 'not 3 fields';
      if (!/^[0-9]{3}$/.test(f[1])) return 'the batch is not 3 digits';
      return uuidField(f[2]) ? null : 'the targetId is not a lowercase UUID';
    },
    'outputs.replacements': function (f) {
      if (f[0] !== 'R') return 'the first field is not R';
      if (f.length < 3 || !/^[0-9]{4}$/.test(f[1])) return 'the sequence is not 4 digits';
      if (f[2] === 'inspector') {
        if (f.length !== 6) return 'an inspector line has not 6 fields';
        return uuidField(f[3]) && uuidField(f[4]) && (f[5] === '-' || uuidField(f[5])) ? null : 'an id is not a lowercase UUID';
      }
      if (f[2] === 'target') {
        if (f.length !== 5) return 'a target line has not 5 fields';
        return uuidField(f[3]) && (f[4] === '-' || uuidField(f[4])) ? null : 'an id is not a lowercase UUID';
      }
      if (f[2] === 'member') {
        if (f.length !== 7) return 'a member line has not 7 fields';
        if (!uuidField(f[3])) return 'the targetId is not a lowercase UUID';
        if (!/^[0-9]{2}$/.test(f[4]) || f[4] === '00') return 'the slot is not 2 digits from 01';
        if (f[5] !== '-' && !uuidField(f[5])) return 'the member is neither an inspectorId nor -';
        return f[6] === '*' || uuidField(f[6]) ? null : 'the department is neither a departmentId nor *';
      }
      return 'the kind is not inspector, target or member';
    }
  };

  // Checks one file (section 2) and returns its lines split into fields (still escaped).
  function canonicalFile(name, text) {
    var part = 'canonical.' + name;
    if (!isWellFormed(text)) fail(part, 'not valid UTF-8: an unpaired surrogate');
    if (text === '') return [];
    if (text.charCodeAt(0) === 0xfeff) fail(part, 'a byte-order mark (U+FEFF) at the start');
    var cr = text.indexOf('\r');
    if (cr >= 0) fail(part, 'a CR (U+000D) at line ' + (text.slice(0, cr).split('\n').length));
    if (text.charCodeAt(text.length - 1) !== 10) fail(part, 'no LF after the last line');
    var lines = text.slice(0, -1).split('\n');
    for (var i = 1; i < lines.length; i++) {
      var c = cmp(lines[i - 1], lines[i]);
      if (c >= 0) {
        fail(part, 'line ' + (i + 1) + (c === 0 ? ' repeats line ' + i : ' sorts before line ' + i) +
          ' (lines must be strictly ascending bytewise): ' + show(lines[i]));
      }
    }
    if (text.normalize('NFC') !== text) {
      for (var j = 0; j < lines.length; j++) {
        if (lines[j].normalize('NFC') !== lines[j]) fail(part, 'line ' + (j + 1) + ' is not in NFC: ' + show(lines[j]));
      }
      fail(part, 'not in NFC');
    }
    var form = LINE_FORMS[name];
    var rows = new Array(lines.length);
    for (var k = 0; k < lines.length; k++) {
      var f = lines[k].split('|');
      for (var m = 0; m < f.length; m++) {
        if (BAD_ESCAPE_RE.test(f[m])) {
          fail(part, 'line ' + (k + 1) + ' field ' + (m + 1) + ' is not well escaped (a % not starting %25, %7C, %0A or %0D): ' + show(lines[k]));
        }
      }
      var err = form(f);
      if (err) fail(part, 'line ' + (k + 1) + ': ' + err + ': ' + show(lines[k]));
      rows[k] = f;
    }
    return rows;
  }

  // ---------------------------------------------------------------- record shape

  function isObject(x) {
    return x !== null && typeof x === 'object' && !Array.isArray(x);
  }
  function checkShape(record) {
    var need = function (ok, what) {
      if (!ok) fail('record', what);
    };
    need(typeof record.drawId === 'string', 'drawId is missing or not a string');
    need(isObject(record.files), 'files is missing or not an object');
    FILES.forEach(function (f) {
      need(typeof record.files[f] === 'string', 'files.' + f + ' is missing or not a string');
    });
    need(typeof record.commitment === 'string', 'commitment is missing or not a string');
    need(typeof record.commitmentSha256 === 'string', 'commitmentSha256 is missing or not a string');
    need(Array.isArray(record.acts), 'acts is missing or not an array');
    record.acts.forEach(function (a, i) {
      need(typeof a === 'string', 'acts[' + i + '] is not a string');
    });
    need(typeof record.recordSha256 === 'string', 'recordSha256 is missing or not a string');
    need(isObject(record.outputs), 'outputs is missing or not an object');
    OUTPUTS.forEach(function (o) {
      need(typeof record.outputs[o] === 'string', 'outputs.' + o + ' is missing or not a string');
    });
  }

  function normaliseExpectation(x, part) {
    if (x === undefined || x === null || x === '') return null;
    if (typeof x !== 'string') fail(part, 'the published value given is not a string');
    var h = x.trim().toLowerCase();
    if (!HEX64_RE.test(h)) fail(part, 'the published value given is not 64 hex characters: ' + show(x));
    return h;
  }

  // ---------------------------------------------------------------- parameters (2.1), targets (2.2), sources (2.7)

  var ONCE_KEYS = ['algorithm', 'batches', 'draw', 'inspectors-per-target', 'load-cap', 'partial-teams', 'plan',
    'task', 'pool-as-of-sequence', 'record-public', 'window'];

  function checkParameters(rows, drawId) {
    var P = 'files.parameters';
    var byKey = {};
    rows.forEach(function (f) {
      var syntax = LINE_FORMS.parameterSyntax(f);
      if (syntax) fail(P, syntax);
    });
    rows.forEach(function (f) {
      var known = ONCE_KEYS.indexOf(f[1]) >= 0 || f[1] === 'replaces' || f[1] === 'team' || f[1] === 'sampling';
      if (!known) fail(P, 'unknown key ' + show(f[1]));
      (byKey[f[1]] = byKey[f[1]] || []).push(f);
    });
    ONCE_KEYS.forEach(function (k) {
      var n = byKey[k] ? byKey[k].length : 0;
      if (n === 0) fail(P, 'missing key ' + k);
      if (n > 1) fail(P, 'a second line for key ' + k);
    });
    if (byKey.replaces && byKey.replaces.length > 1) fail(P, 'a second line for key replaces');
    var one = function (k) {
      return byKey[k][0][2];
    };
    if (one('algorithm') !== ALGORITHM) fail(P, 'P|algorithm| is ' + show(one('algorithm')) + ', not ' + ALGORITHM);
    if (one('draw') !== drawId) fail(P, 'P|draw| ' + show(one('draw')) + ' is not the record\'s drawId ' + show(drawId));
    var B = num(one('batches'));
    if (B < 1 || B > 100) fail(P, 'P|batches| is not 1 to 100');
    var k = num(one('inspectors-per-target'));
    if (k < 1 || k > 50) fail(P, 'P|inspectors-per-target| is not 1 to 50');
    var L = num(one('load-cap'));
    var partial = one('partial-teams');
    if (partial !== '0' && partial !== '1') fail(P, 'P|partial-teams| is neither 0 nor 1');
    var rp = one('record-public');
    if (rp !== 'immediately' && rp !== 'inspections-start') fail(P, 'P|record-public| is neither immediately nor inspections-start');

    var sampling = byKey.sampling || [];
    if (sampling.length === 0) fail(P, 'missing key sampling');
    var form = sampling[0][2];
    if (form !== 'ratio' && form !== 'fixed' && form !== 'class') fail(P, 'unknown sampling form ' + show(form));
    var classes = new Map();
    var bp = 0, fixed = 0;
    sampling.forEach(function (f) {
      if (f[2] !== form) fail(P, 'more than one sampling form (' + form + ' and ' + f[2] + ')');
    });
    if (form === 'ratio' || form === 'fixed') {
      if (sampling.length > 1) fail(P, 'a second line for key sampling');
      var v = num(sampling[0][3]);
      if (form === 'ratio') {
        if (v < 1 || v > 10000) fail(P, 'P|sampling|ratio| is not 1 to 10000');
        bp = v;
      } else {
        if (v < 1) fail(P, 'P|sampling|fixed| is not 1 or more');
        fixed = v;
      }
    } else {
      sampling.forEach(function (f) {
        if (classes.has(f[3])) fail(P, 'a second sampling line for class ' + show(f[3]));
        var b = num(f[4]);
        if (b < 1 || b > 10000) fail(P, 'P|sampling|class|' + f[3] + '| is not 1 to 10000');
        classes.set(f[3], b);
      });
    }

    var team = [];
    var teamDepts = new Set();
    var total = 0;
    (byKey.team || []).forEach(function (f, i) {
      if (f[2] !== pad(i + 1, 2)) fail(P, 'P|team| positions are not consecutive from 01 (found ' + f[2] + ' at ' + pad(i + 1, 2) + ')');
      if (teamDepts.has(f[3])) fail(P, 'P|team| names department ' + f[3] + ' twice');
      teamDepts.add(f[3]);
      var c = num(f[4]);
      if (c < 1 || c > 50) fail(P, 'P|team| count is not 1 to 50');
      total += c;
      team.push({ dept: f[3], count: c });
    });
    if (total > 50) fail(P, 'P|team| counts add up to more than 50');

    var slots = [];
    if (team.length > 0) {
      team.forEach(function (t) {
        for (var j = 0; j < t.count; j++) slots.push(t.dept);
      });
    } else {
      for (var j = 0; j < k; j++) slots.push('*');
    }
    return { B: B, L: L, partial: partial === '1', form: form, bp: bp, fixed: fixed, classes: classes, slots: slots };
  }

  function checkTargets(rows, params) {
    var P = 'files.targets';
    var seen = new Set();
    var strata = new Map(); // stratum -> [targetId] in file order
    var targetInfo = new Map(); // targetId -> stratum
    rows.forEach(function (f, i) {
      var s = f[1], t = f[2];
      if (params.form === 'class') {
        if (!params.classes.has(s)) fail(P, 'line ' + (i + 1) + ': stratum ' + show(s) + ' has no P|sampling|class| line');
      } else if (s !== '*') {
        fail(P, 'line ' + (i + 1) + ': stratum ' + show(s) + ' is not * (sampling form ' + params.form + ')');
      }
      if (seen.has(t)) fail(P, 'line ' + (i + 1) + ': targetId ' + t + ' appears a second time');
      seen.add(t);
      targetInfo.set(t, s);
      var list = strata.get(s);
      if (!list) strata.set(s, (list = []));
      list.push(t);
    });
    return { strata: strata, targetInfo: targetInfo };
  }

  function checkSources(rows) {
    var P = 'files.sources';
    if (rows.length === 0) fail(P, 'no declared source of randomness (at least one is required)');
    var sources = new Map();
    rows.forEach(function (f) {
      if (!SOURCE_NAME_RE.test(f[1])) fail(P, 'the name ' + show(f[1]) + ' is not 1 to 40 of a-z, 0-9 and -');
      if (f[2] !== 'ceremony' && f[2] !== 'beacon') fail(P, 'the kind of ' + show(f[1]) + ' is neither ceremony nor beacon');
      if (!isInstant(f[3])) fail(P, 'not-before of ' + show(f[1]) + ' is not an instant yyyy-MM-ddTHH:mm:ssZ');
      if (sources.has(f[1])) fail(P, 'source ' + show(f[1]) + ' is declared twice');
      sources.set(f[1], { notBefore: f[3], kind: f[2] });
    });
    return sources;
  }

  // Section 2.6 (draw-algorithm-1.md section 2.6).
  function computeQuotas(params, strata) {
    var names = sortBytewise(Array.from(strata.keys()));
    var quota = new Map();
    if (params.form === 'fixed') {
      names.forEach(function (s) {
        quota.set(s, Math.min(params.fixed, strata.get(s).length));
      });
    } else {
      var sumNum = 0, sumFloor = 0;
      var rem = [];
      names.forEach(function (s) {
        var N = strata.get(s).length;
        var b = params.form === 'ratio' ? params.bp : params.classes.get(s);
        var n = N * b; // at most ~1e6 * 1e4: exact in a double
        var fl = Math.floor(n / 10000);
        sumNum += n;
        sumFloor += fl;
        quota.set(s, fl);
        if (n % 10000 !== 0) rem.push({ s: s, r: n % 10000 });
      });
      var T = Math.ceil(sumNum / 10000);
      var left = T - sumFloor;
      rem.sort(function (a, b) {
        return b.r - a.r || cmp(a.s, b.s);
      });
      for (var i = 0; i < left && i < rem.length; i++) quota.set(rem[i].s, quota.get(rem[i].s) + 1);
      names.forEach(function (s) {
        quota.set(s, Math.min(quota.get(s), strata.get(s).length));
      });
    }
    var lines = names.map(function (s) {
      return 'Q|' + s + '|' + strata.get(s).length + '|' + quota.get(s);
    });
    return { quota: quota, text: fileText(sortBytewise(lines)) };
  }

  function firstDifference(expected, actual) {
    var e = linesOf(expected), a = linesOf(actual);
    var n = Math.max(e.length, a.length);
    for (var i = 0; i < n; i++) {
      if (e[i] !== a[i]) return 'line ' + (i + 1) + ': expected ' + show(e[i]) + ', found ' + show(a[i]);
    }
    return 'the texts differ';
  }

  // ---------------------------------------------------------------- acts (section 9)

  function checkReason(r) {
    var n = codePointLength(r);
    if (n < 1 || n > 1000) return 'the reason is not 1 to 1000 characters';
    if (WS_EDGE_RE.test(r)) return 'the reason is not trimmed';
    if (r.normalize('NFC') !== r) return 'the reason is not in NFC';
    return null;
  }

  var ACT_FIELDS = { commit: 5, randomness: 8, contribution: 7, draw: 8, inspector: 8, target: 7, void: 7 };

  function parseAct(line, i) {
    var where = 'act ' + (i + 1) + ': ';
    if (!isWellFormed(line)) fail('acts', where + 'not valid UTF-8 (an unpaired surrogate)');
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) fail('acts', where + 'an LF or CR inside the line');
    var f = line.split('|');
    for (var m = 0; m < f.length; m++) {
      if (BAD_ESCAPE_RE.test(f[m])) fail('acts', where + 'field ' + (m + 1) + ' is not well escaped: ' + show(line));
    }
    if (f[0] !== 'A') fail('acts', where + 'the first field is not A: ' + show(line));
    if (f.length < 5) fail('acts', where + 'fewer than 5 fields: ' + show(line));
    if (!isNumber(f[1]) || f[1] !== String(i + 1)) fail('acts', where + 'its number is ' + show(f[1]) + ', not ' + (i + 1));
    if (!isInstant(f[2])) fail('acts', where + 'the time is not an instant yyyy-MM-ddTHH:mm:ssZ: ' + show(f[2]));
    if (!isActor(f[3])) fail('acts', where + 'the actor is not <role>:<departmentId>:<16 hex>: ' + show(f[3]));
    var kind = f[4];
    if (!ACT_FIELDS.hasOwnProperty(kind)) fail('acts', where + 'unknown act ' + show(kind));
    if (f.length !== ACT_FIELDS[kind]) fail('acts', where + 'a ' + kind + ' act has ' + ACT_FIELDS[kind] + ' fields, not ' + f.length);
    var a = { n: i + 1, at: f[2], actor: f[3], kind: kind, f: f, line: line };
    var err = null;
    switch (kind) {
      case 'randomness':
        if (!SOURCE_NAME_RE.test(f[5])) err = 'the source name is not 1 to 40 of a-z, 0-9 and -';
        else if (!isActor(f[7])) err = 'the actor of the first entry is not <role>:<departmentId>:<16 hex>';
        a.name = f[5];
        a.value = decodeField(f[6]);
        a.first = f[7];
        break;
      case 'contribution':
        if (f[5] !== 'discipline' && f[5] !== 'department') err = 'the party is neither discipline nor department';
        a.party = f[5];
        a.hex = f[6];
        break;
      case 'draw':
        a.hashes = [f[5], f[6], f[7]];
        break;
      case 'inspector':
        if (!uuidField(f[5])) err = 'the targetId is not a lowercase UUID';
        else if (!uuidField(f[6])) err = 'the inspectorId is not a lowercase UUID';
        else err = checkReason(decodeField(f[7]));
        a.target = f[5];
        a.inspector = f[6];
        break;
      case 'target':
        if (!uuidField(f[5])) err = 'the targetId is not a lowercase UUID';
        else err = checkReason(decodeField(f[6]));
        a.target = f[5];
        break;
      case 'void':
        if (f[5] !== '-' && !isActor(f[5])) err = 'the countersigner is neither - nor <role>:<departmentId>:<16 hex>';
        else err = checkReason(decodeField(f[6]));
        a.countersigner = f[5];
        break;
    }
    if (err) fail('acts', where + err + ': ' + show(line));
    return a;
  }

  function checkActRules(acts, sources) {
    var bad = function (a, text) {
      fail('acts', 'act ' + a.n + ' (' + a.kind + '): ' + text);
    };
    if (acts.length === 0) fail('acts', 'no acts: the first act must be commit');
    // Section 9, who acts: each kind of act by the role the protocol gives it.
    var roleOf = function (actor) {
      return actor === 'system' ? actor : actor.slice(0, actor.indexOf(':'));
    };
    acts.forEach(function (a) {
      var r = roleOf(a.actor);
      var ok;
      switch (a.kind) {
        case 'commit': ok = r === 'discipline-inspector'; break;
        case 'randomness': ok = r === 'discipline-inspector' && roleOf(a.first) === 'discipline-inspector'; break;
        case 'contribution': ok = a.party === 'discipline' ? r === 'discipline-inspector' : r === 'planner' || r === 'discipline-inspector'; break;
        case 'draw': ok = r === 'planner'; break;
        case 'inspector': case 'target': ok = r === 'approver'; break;
        case 'void': ok = r === 'approver' && (a.countersigner === '-' || roleOf(a.countersigner) === 'discipline-inspector'); break;
        default: ok = true;
      }
      if (!ok) bad(a, "the actor's role '" + show(r) + "' may not do this (section 9, who acts)");
    });
    if (acts[0].kind !== 'commit') bad(acts[0], 'the first act is not commit');
    var commitAt = acts[0].at;
    sources.forEach(function (src, name) {
      if (!(src.notBefore > commitAt)) {
        fail('acts', 'source ' + name + ': not-before ' + src.notBefore + ' is not after the commit act (' + commitAt + ')');
      }
    });
    var randomness = new Map();
    var contribution = {};
    var drawIndex = -1;
    var voidSeen = false;
    for (var i = 0; i < acts.length; i++) {
      var a = acts[i];
      if (i > 0 && a.at < acts[i - 1].at) bad(a, 'its time ' + a.at + ' is before the previous act\'s ' + acts[i - 1].at);
      if (voidSeen) bad(a, 'an act after the void');
      switch (a.kind) {
        case 'commit':
          if (i > 0) bad(a, 'a commit act that is not the first act');
          break;
        case 'randomness': {
          var src = sources.get(a.name);
          if (!src) bad(a, 'a value for undeclared source ' + show(a.name));
          if (randomness.has(a.name)) bad(a, 'a second value for source ' + a.name + ' (first in act ' + randomness.get(a.name) + ')');
          if (a.at < src.notBefore) bad(a, 'recorded at ' + a.at + ', before its source\'s not-before ' + src.notBefore);
          if (actorPerson(a.actor) === actorPerson(a.first)) bad(a, 'the two entries of the value are by the same person');
          if (drawIndex >= 0) bad(a, 'a randomness act after the draw');
          randomness.set(a.name, a.n);
          break;
        }
        case 'contribution':
          if (contribution[a.party]) bad(a, 'a second ' + a.party + ' contribution (first in act ' + contribution[a.party] + ')');
          if (a.party === 'discipline') {
            if (randomness.size !== sources.size) bad(a, 'the discipline contribution before every declared source has its value');
          } else {
            if (!contribution.discipline) bad(a, 'the department contribution before the discipline one');
            if (i + 1 >= acts.length || (acts[i + 1].kind !== 'draw' && acts[i + 1].kind !== 'void')) bad(a, 'the department contribution is followed by neither the draw nor a void');
          }
          if (drawIndex >= 0) bad(a, 'a contribution act after the draw');
          contribution[a.party] = a.n;
          break;
        case 'draw':
          if (drawIndex >= 0) bad(a, 'a second draw (first in act ' + (drawIndex + 1) + ')');
          if (randomness.size !== sources.size) bad(a, 'the draw before every declared source has its value');
          if (!contribution.discipline || !contribution.department) bad(a, 'the draw before both contributions are revealed');
          if (acts[i - 1].kind !== 'contribution' || acts[i - 1].party !== 'department') bad(a, 'the draw does not immediately follow the department contribution');
          drawIndex = i;
          break;
        case 'inspector':
        case 'target':
          if (drawIndex < 0) bad(a, 'a recusal or replacement before the draw');
          break;
        case 'void':
          if (i !== acts.length - 1) bad(a, 'the void is not the last act');
          if (a.countersigner === '-') {
            if (randomness.size > 0) bad(a, 'a void without countersigner after a randomness act');
            if (drawIndex >= 0) bad(a, 'a void without countersigner after the draw');
            sources.forEach(function (src, name) {
              if (!(a.at < src.notBefore)) bad(a, 'a void without countersigner at ' + a.at + ', not before source ' + name + '\'s not-before ' + src.notBefore);
            });
          } else if (actorPerson(a.countersigner) === actorPerson(a.actor)) {
            bad(a, 'the void is countersigned by the person who requested it');
          }
          voidSeen = true;
          break;
      }
    }
    return { drawIndex: drawIndex, randomness: randomness };
  }

  // ---------------------------------------------------------------- teams (sections 6, 7)

  function Engine(keyer, params, inspectors, conflicts) {
    this.keyer = keyer;
    this.params = params;
    this.inspectors = inspectors; // [{ i, dept, expert }]
    this.conflicts = conflicts; // Map targetId -> Set inspectorId
    this.load = new Map();
    this.teams = new Map(); // targetId -> [{ dept, member }]
    this.recused = new Map(); // targetId -> Set inspectorId
  }
  Engine.prototype.candidateList = function (t) {
    var c = this.conflicts.get(t);
    return c ? this.inspectors.filter(function (x) { return !c.has(x.i); }) : this.inspectors;
  };
  // Rankings of the candidates of several targets, their keys signed concurrently.
  Engine.prototype.rankings = async function (targets) {
    var lists = targets.map(this.candidateList, this);
    var labels = [];
    lists.forEach(function (list, j) {
      for (var x = 0; x < list.length; x++) labels.push('I|' + targets[j] + '|' + list[x].i);
    });
    var keys = await this.keyer.many(labels);
    var pos = 0;
    return lists.map(function (list) {
      var r = new Array(list.length);
      for (var x = 0; x < list.length; x++) r[x] = { k: keys[pos++], c: list[x] };
      r.sort(function (a, b) {
        return a.k < b.k ? -1 : a.k > b.k ? 1 : cmp(a.c.i, b.c.i);
      });
      return r.map(function (e) { return e.c; });
    });
  };
  Engine.prototype.loadOf = function (i) {
    return this.load.get(i) || 0;
  };
  // Section 6 step 3 for one slot. `lastOpen`: no slot after this one is still to be filled.
  Engine.prototype.fillSlot = function (t, ranking, team, j, lastOpen) {
    var d = team[j].dept;
    var inTeam = new Set();
    var hasNonExpert = false;
    for (var x = 0; x < team.length; x++) {
      if (x !== j && team[x].member !== null) {
        inTeam.add(team[x].member.i);
        if (!team[x].member.expert) hasNonExpert = true;
      }
    }
    var rec = this.recused.get(t);
    var L = this.params.L;
    for (var y = 0; y < ranking.length; y++) {
      var c = ranking[y];
      if (d !== '*' && c.dept !== d) continue;
      if (inTeam.has(c.i)) continue;
      if (rec && rec.has(c.i)) continue;
      if (L > 0 && this.loadOf(c.i) >= L) continue;
      if (c.expert && lastOpen && !hasNonExpert) continue;
      team[j].member = c;
      this.load.set(c.i, this.loadOf(c.i) + 1);
      return c;
    }
    team[j].member = null;
    return null;
  };
  Engine.prototype.drawTeam = function (t, ranking) {
    var slots = this.params.slots;
    var team = slots.map(function (d) { return { dept: d, member: null }; });
    for (var j = 0; j < team.length; j++) this.fillSlot(t, ranking, team, j, j === team.length - 1);
    this.teams.set(t, team);
    return team;
  };

  // ---------------------------------------------------------------- the verifier

  async function verify(record, options) {
    // 0. shape; 1. algorithm
    if (!isObject(record)) fail('record', 'the record is not a JSON object');
    if (typeof record.algorithm !== 'string') fail('record', 'algorithm is missing or not a string');
    if (record.algorithm !== ALGORITHM) {
      fail('algorithm', 'the record is of algorithm ' + show(record.algorithm) + '; this verifier checks ' + ALGORITHM + ' only');
    }
    checkShape(record);
    var expectCommitment = normaliseExpectation(options.expectCommitment, 'expect.commitment');
    var expectRecord = normaliseExpectation(options.expectRecord, 'expect.record');

    // 2. canonical files, then outputs
    var rows = {};
    FILES.forEach(function (name) {
      rows[name] = canonicalFile(name, record.files[name]);
    });
    var outRows = {};
    OUTPUTS.forEach(function (name) {
      outRows[name] = canonicalFile('outputs.' + name, record.outputs[name]);
    });

    // 3. commitment, commitmentSha256, expect.commitment
    var cLines = record.commitment.split('\n');
    var mDep = /^contribution\|department\|([0-9a-f]{64})$/.exec(cLines[9] || '');
    var mDis = /^contribution\|discipline\|([0-9a-f]{64})$/.exec(cLines[10] || '');
    if (!mDep || !mDis) {
      fail('commitment', 'lines 10 and 11 of the commitment are not contribution|department|<hex> and contribution|discipline|<hex>');
    }
    var committed = { department: mDep[1], discipline: mDis[1] };
    var fileHashes = await Promise.all(FILES.map(function (n) { return sha256Hex(record.files[n]); }));
    var built = ALGORITHM + '\n' + 'draw|' + record.drawId + '\n';
    FILES.forEach(function (n, i) {
      built += n + '|' + fileHashes[i] + '\n';
    });
    built += 'contribution|department|' + committed.department + '\n' + 'contribution|discipline|' + committed.discipline + '\n';
    if (built !== record.commitment) fail('commitment', 'the commitment is not the text built from the files: ' + firstDifference(built, record.commitment));
    var commitmentBytes = utf8(record.commitment);
    var commitmentHash = toHex(await sha256(commitmentBytes));
    if (commitmentHash !== record.commitmentSha256) {
      fail('commitmentSha256', 'SHA-256 of the commitment is ' + commitmentHash + ', the record says ' + show(record.commitmentSha256));
    }
    if (expectCommitment !== null && expectCommitment !== commitmentHash) {
      fail('expect.commitment', 'the commitment hash is ' + commitmentHash + ', the published one is ' + expectCommitment);
    }

    // 4. files.parameters, files.targets, files.sources, files.quotas
    var params = checkParameters(rows.parameters, record.drawId);
    var tg = checkTargets(rows.targets, params);
    var sources = checkSources(rows.sources);
    var q = computeQuotas(params, tg.strata);
    if (q.text !== record.files.quotas) fail('files.quotas', 'the quotas do not follow section 2.6: ' + firstDifference(q.text, record.files.quotas));

    // 5. acts, recordSha256, expect.record
    var acts = record.acts.map(parseAct);
    var rules = checkActRules(acts, sources);
    var h = commitmentHash;
    for (var i = 0; i < record.acts.length; i++) h = await sha256Hex(h + record.acts[i] + '\n');
    if (h !== record.recordSha256) fail('recordSha256', 'the chain over the acts ends in ' + h + ', the record says ' + show(record.recordSha256));
    if (expectRecord !== null && expectRecord !== h) fail('expect.record', 'the record hash is ' + h + ', the published one is ' + expectRecord);

    // 6. randomness values, contributions
    acts.forEach(function (a) {
      if (a.kind !== 'randomness') return;
      if (a.value === '') fail('randomness.' + a.name, 'the value is empty');
      var c = canonicalValue(a.value);
      if (c !== a.value) fail('randomness.' + a.name, 'the value ' + show(a.value) + ' is not canonical (section 4.1 gives ' + show(c) + ')');
    });
    var contributions = {};
    for (var ci = 0; ci < acts.length; ci++) {
      var a = acts[ci];
      if (a.kind !== 'contribution') continue;
      if (!HEX64_RE.test(a.hex)) fail('contribution.' + a.party, 'the contribution is not 64 lowercase hex: ' + show(a.hex));
      var ch = toHex(await sha256(fromHex(a.hex)));
      if (ch !== committed[a.party]) fail('contribution.' + a.party, 'SHA-256 of the revealed 32 bytes is ' + ch + ', the commitment holds ' + committed[a.party]);
      contributions[a.party] = a.hex;
    }

    // 7. the draw
    var expected = { targets: '', teams: '', batches: '', replacements: '' };
    if (rules.drawIndex < 0) {
      OUTPUTS.forEach(function (o) {
        if (record.outputs[o] !== '') fail('outputs.' + o, 'there is no draw act, yet outputs.' + o + ' is not empty');
      });
      return;
    }
    var drawAct = acts[rules.drawIndex];

    // 4.2 the key
    var rLines = [];
    acts.forEach(function (a) {
      if (a.kind === 'randomness') rLines.push('R|' + a.name + '|' + encodeField(a.value));
    });
    rLines.push('K|department|' + contributions.department, 'K|discipline|' + contributions.discipline);
    var randomnessText = fileText(sortBytewise(rLines));
    var salt = await sha256(commitmentBytes);
    var prk = await subtle().sign('HMAC', await hmacKey(salt), utf8(randomnessText));
    var keyer = new Keyer(await hmacKey(prk));

    // 5. selection
    var strataNames = sortBytewise(Array.from(tg.strata.keys()));
    var ranking = new Map(); // stratum -> [{ t, k }]
    var allLabels = [], allTargets = [], allStrata = [];
    strataNames.forEach(function (s) {
      tg.strata.get(s).forEach(function (t) {
        allLabels.push('T|' + s + '|' + t);
        allTargets.push(t);
        allStrata.push(s);
      });
    });
    var tKeys = await keyer.many(allLabels);
    allLabels = null;
    strataNames.forEach(function (s) {
      ranking.set(s, []);
    });
    for (var x = 0; x < allTargets.length; x++) ranking.get(allStrata[x]).push({ t: allTargets[x], k: tKeys[x] });
    tKeys = allTargets = allStrata = null;
    var selectedOrder = []; // processing order (section 6)
    var sLines = [];
    strataNames.forEach(function (s) {
      var r = ranking.get(s);
      r.sort(function (a, b) {
        return a.k < b.k ? -1 : a.k > b.k ? 1 : cmp(a.t, b.t);
      });
      var quota = q.quota.get(s);
      for (var j = 0; j < quota && j < r.length; j++) {
        sLines.push('S|' + s + '|' + pad(j + 1, 7) + '|' + r[j].t + '|' + r[j].k);
        selectedOrder.push(r[j].t);
      }
    });
    expected.targets = fileText(sortBytewise(sLines));
    if (expected.targets !== record.outputs.targets) fail('outputs.targets', firstDifference(expected.targets, record.outputs.targets));

    // 6. teams
    var inspectors = rows.inspectors.map(function (f) {
      return { i: f[1], dept: f[2], expert: f[3] === '1' };
    });
    var conflicts = new Map();
    rows.conflicts.forEach(function (f) {
      var set = conflicts.get(f[2]);
      if (!set) conflicts.set(f[2], (set = new Set()));
      set.add(f[1]);
    });
    var engine = new Engine(keyer, params, inspectors, conflicts);
    var perChunk = Math.max(1, Math.floor(SIGN_BATCH / Math.max(1, inspectors.length)));
    var mLines = [];
    var emptySlot = false;
    for (var start = 0; start < selectedOrder.length; start += perChunk) {
      var chunk = selectedOrder.slice(start, start + perChunk);
      var rks = await engine.rankings(chunk);
      for (var ti = 0; ti < chunk.length; ti++) {
        var team = engine.drawTeam(chunk[ti], rks[ti]);
        for (var sl = 0; sl < team.length; sl++) {
          var mem = team[sl].member;
          if (mem === null) emptySlot = true;
          mLines.push('M|' + chunk[ti] + '|' + pad(sl + 1, 2) + '|' + (mem ? mem.i : '-') + '|' + team[sl].dept);
        }
      }
    }
    expected.teams = fileText(sortBytewise(mLines));
    if (expected.teams !== record.outputs.teams) fail('outputs.teams', firstDifference(expected.teams, record.outputs.teams));
    if (emptySlot && !params.partial) fail('outputs.teams', 'a team has an empty slot (-) under P|partial-teams|0');

    // 8. batches
    if (params.B > 1) {
      var bKeys = await keyer.many(selectedOrder.map(function (t) { return 'B|' + t; }));
      var order = selectedOrder.map(function (t, j) { return { t: t, k: bKeys[j] }; });
      order.sort(function (a, b) {
        return a.k < b.k ? -1 : a.k > b.k ? 1 : cmp(a.t, b.t);
      });
      var n = order.length, B = params.B;
      var bLines = [];
      var p = 0;
      for (var bj = 1; bj <= B; bj++) {
        var size = Math.floor(n / B) + (bj <= n % B ? 1 : 0);
        for (var y = 0; y < size; y++) bLines.push('B|' + pad(bj, 3) + '|' + order[p++].t);
      }
      expected.batches = fileText(sortBytewise(bLines));
    }
    if (expected.batches !== record.outputs.batches) fail('outputs.batches', firstDifference(expected.batches, record.outputs.batches));

    // acts.draw
    var outHashes = await Promise.all(['targets', 'teams', 'batches'].map(function (o) { return sha256Hex(record.outputs[o]); }));
    ['targets', 'teams', 'batches'].forEach(function (o, j) {
      if (drawAct.hashes[j] !== outHashes[j]) {
        fail('acts.draw', 'act ' + drawAct.n + ' gives ' + show(drawAct.hashes[j]) + ' for outputs.' + o + ', whose SHA-256 is ' + outHashes[j]);
      }
    });

    // 7 (spec). recusals and replacements, in act order
    var selected = new Set(selectedOrder);
    var replacedBefore = new Set();
    var lastUsed = new Map();
    strataNames.forEach(function (s) {
      lastUsed.set(s, Math.min(q.quota.get(s), ranking.get(s).length));
    });
    var rOut = [];
    var seq = 0;
    for (var ai = rules.drawIndex + 1; ai < acts.length; ai++) {
      var act = acts[ai];
      if (act.kind !== 'inspector' && act.kind !== 'target') continue;
      var sq = pad(++seq, 4);
      var t = act.target;
      if (!selected.has(t)) fail('replacements', 'act ' + act.n + ' (' + act.kind + '): target ' + t + ' is not currently selected');
      var cur = engine.teams.get(t);
      if (act.kind === 'inspector') {
        var slot = -1;
        for (var z = 0; z < cur.length; z++) if (cur[z].member !== null && cur[z].member.i === act.inspector) slot = z;
        if (slot < 0) fail('replacements', 'act ' + act.n + ' (inspector): inspector ' + act.inspector + ' is not in the current team of ' + t);
        var rec = engine.recused.get(t);
        if (!rec) engine.recused.set(t, (rec = new Set()));
        rec.add(act.inspector);
        engine.load.set(act.inspector, engine.loadOf(act.inspector) - 1);
        var rk = (await engine.rankings([t]))[0];
        var nm = engine.fillSlot(t, rk, cur, slot, true);
        rOut.push('R|' + sq + '|inspector|' + t + '|' + act.inspector + '|' + (nm ? nm.i : '-'));
      } else {
        cur.forEach(function (s) {
          if (s.member !== null) engine.load.set(s.member.i, engine.loadOf(s.member.i) - 1);
        });
        selected.delete(t);
        replacedBefore.add(t);
        var st = tg.targetInfo.get(t);
        var rr = ranking.get(st);
        var found = null;
        for (var w = lastUsed.get(st); w < rr.length; w++) {
          if (!selected.has(rr[w].t) && !replacedBefore.has(rr[w].t)) {
            found = rr[w].t;
            lastUsed.set(st, w + 1);
            break;
          }
        }
        if (found === null) {
          rOut.push('R|' + sq + '|target|' + t + '|-');
        } else {
          selected.add(found);
          rOut.push('R|' + sq + '|target|' + t + '|' + found);
          var nt = engine.drawTeam(found, (await engine.rankings([found]))[0]);
          nt.forEach(function (s, j) {
            rOut.push('R|' + sq + '|member|' + found + '|' + pad(j + 1, 2) + '|' + (s.member ? s.member.i : '-') + '|' + s.dept);
          });
        }
      }
    }
    expected.replacements = fileText(sortBytewise(rOut));
    if (expected.replacements !== record.outputs.replacements) {
      fail('outputs.replacements', firstDifference(expected.replacements, record.outputs.replacements));
    }
  }

  // A record given as JSON text is refused when an object names a member twice: readers keeping the first or the last copy
  // would see two different records under one hash (section 10). Returns the first such name, or null.
  function duplicateMember(text) {
    var stack = [];
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === '"') {
        var j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        var k = j + 1;
        while (k < text.length && (text[k] === ' ' || text[k] === '\t' || text[k] === '\n' || text[k] === '\r')) k++;
        var top = stack[stack.length - 1];
        if (top && top.keys && text[k] === ':') {
          var key = JSON.parse(text.slice(i, j + 1));
          if (top.keys.has(key)) return key;
          top.keys.add(key);
        }
        i = j;
      } else if (c === '{') stack.push({ keys: new Set() });
      else if (c === '[') stack.push({ keys: null });
      else if (c === '}' || c === ']') stack.pop();
    }
    return null;
  }

  function verifyDrawRecord(record, options) {
    var opts = options && typeof options === 'object' ? options : {};
    return Promise.resolve()
      .then(function () {
        if (typeof record === 'string') {
          var duplicate = duplicateMember(record);
          if (duplicate !== null) fail('record', 'an object names the member ' + JSON.stringify(duplicate) + ' twice');
          record = JSON.parse(record);
        }
        return verify(record, opts);
      })
      .then(
        function () {
          var both = !!(opts.expectCommitment && opts.expectRecord);
          return {
            matches: true,
            part: null,
            message: both
              ? 'MATCH: the record replays and ends in the published commitment and record hashes'
              : 'MATCH (consistent, but not checked against published hashes: give the published commitment and record hashes)'
          };
        },
        function (e) {
          if (e instanceof Failure) return { matches: false, part: e.part, message: e.message };
          return { matches: false, part: 'record', message: 'the record could not be processed: ' + (e && e.message ? e.message : String(e)) };
        }
      );
  }

  var g = typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this;
  if (g) g.verifyDrawRecord = verifyDrawRecord;
  if (typeof module === 'object' && module && typeof module.exports === 'object') module.exports = { verifyDrawRecord: verifyDrawRecord };
})();
