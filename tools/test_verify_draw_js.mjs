#!/usr/bin/env node
// Tests of src/Supervision.Api/Public/draw-verify.js (the browser verifier) under Node:
//  - every record in $DRAW_V2_RECORDS (default /work/v2records) must MATCH against its own published hashes;
//  - tampered copies must fail with the named part;
//  - the command line tools/verify_draw.mjs prints MATCH / MISMATCH / UNREADABLE with exit 0 / 1 / 2.
//
//   node tools/test_verify_draw_js.mjs        (exit code 1 on any failure)
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import vm from 'node:vm';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { verifyDrawRecord } = require('../src/Supervision.Api/Public/draw-verify.js');
const RECORDS = process.env.DRAW_V2_RECORDS || '/work/v2records';
const CLI = join(here, 'verify_draw.mjs');

let failures = 0;
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) {
    failures++;
    console.log('FAIL ' + what);
  }
}

// ------------------------------------------------------------------ helpers (test side, node:crypto)

const sha = (s) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');
const FILES = ['parameters', 'targets', 'exclusions', 'inspectors', 'conflicts', 'quotas', 'sources'];
const clone = (r) => JSON.parse(JSON.stringify(r));
const lines = (t) => (t === '' ? [] : t.slice(0, -1).split('\n'));
const text = (ls) => (ls.length ? ls.join('\n') + '\n' : '');

// Rebuilds the commitment from the files (keeping its two contribution hashes), then the chain.
function recommit(r) {
  const c = r.commitment.split('\n');
  let t = 'supervision-draw/2\ndraw|' + r.drawId + '\n';
  for (const f of FILES) t += f + '|' + sha(r.files[f]) + '\n';
  t += c[9] + '\n' + c[10] + '\n';
  r.commitment = t;
  r.commitmentSha256 = sha(t);
  return rechain(r);
}
function rechain(r) {
  let h = r.commitmentSha256;
  for (const a of r.acts) h = sha(h + a + '\n');
  r.recordSha256 = h;
  return r;
}
function renumber(r) {
  r.acts = r.acts.map((a, i) => {
    const f = a.split('|');
    f[1] = String(i + 1);
    return f.join('|');
  });
  return r;
}
const published = (r) => ({ expectCommitment: r.commitmentSha256, expectRecord: r.recordSha256 });
const kind = (a) => a.split('|')[4];

async function expectPart(name, record, options, part) {
  let res;
  try {
    res = await verifyDrawRecord(record, options);
  } catch (e) {
    check(false, name + ': threw ' + e);
    return;
  }
  const ok = part === null ? res.matches === true : res.matches === false && res.part === part;
  check(ok, name + ': expected ' + (part || 'MATCH') + ', got ' + (res.matches ? 'MATCH' : res.part + ': ' + res.message));
  if (ok && process.env.VERBOSE) console.log('ok   ' + name + ' -> ' + (res.matches ? 'MATCH' : res.part + ': ' + res.message));
}

// ------------------------------------------------------------------ 1. every record matches

const files = existsSync(RECORDS) ? readdirSync(RECORDS).filter((f) => f.endsWith('.json')).sort() : [];
check(files.length > 0, 'records found in ' + RECORDS);
const recs = new Map();
let total = 0, slowest = { ms: 0, f: '' }, largest = { size: 0, f: '', ms: 0 };
for (const f of files) {
  const raw = readFileSync(join(RECORDS, f));
  const r = JSON.parse(raw.toString('utf8'));
  recs.set(f, r);
  const t0 = performance.now();
  const res = await verifyDrawRecord(r, published(r));
  const ms = performance.now() - t0;
  total += ms;
  if (ms > slowest.ms) slowest = { ms, f };
  if (raw.length > largest.size) largest = { size: raw.length, f, ms };
  check(res.matches === true, f + ': ' + (res.matches ? 'MATCH' : 'MISMATCH ' + res.part + ': ' + res.message));
}
if (files.length) {
  console.log(`${files.length} records: ${total.toFixed(0)} ms in all, ${(total / files.length).toFixed(1)} ms per record; ` +
    `slowest ${slowest.f} ${slowest.ms.toFixed(0)} ms; largest ${largest.f} (${largest.size} bytes) ${largest.ms.toFixed(0)} ms`);
}

// ------------------------------------------------------------------ 2. tamperings

// Records with what a tampering needs.
const all = [...recs.entries()];
const pick = (pred, what) => {
  const e = all.find(([, r]) => pred(r));
  check(!!e, 'a record with ' + what);
  return e ? clone(e[1]) : null;
};
const withTargets = (n) => (r) => lines(r.files.targets).length >= n;

// reorder two lines of the targets file
{
  const r = pick(withTargets(3), 'three targets');
  if (r) {
    const ls = lines(r.files.targets);
    [ls[0], ls[1]] = [ls[1], ls[0]];
    r.files.targets = text(ls);
    await expectPart('targets lines swapped', r, published(r), 'canonical.targets');
    await expectPart('targets lines swapped, commitment rebuilt', recommit(r), {}, 'canonical.targets');
  }
}
// a non-NFC character (e + combining acute instead of é)
{
  const r = pick((x) => x.files.targets.includes('é'), 'é in the targets');
  if (r) {
    r.files.targets = r.files.targets.replace('é', 'e\u0301');
    await expectPart('non-NFC in targets', recommit(r), {}, 'canonical.targets');
  }
  const s = pick(() => true, 'sources');
  if (s) {
    s.files.sources = s.files.sources.replace(/\n$/, 'A\u030a\n');
    await expectPart('non-NFC in sources', recommit(s), {}, 'canonical.sources');
  }
}
// a lower-case escape %7c
{
  const r = pick((x) => x.files.targets.includes('%7C'), '%7C in the targets');
  if (r) {
    r.files.targets = r.files.targets.replace('%7C', '%7c');
    await expectPart('lower-case escape %7c', recommit(r), {}, 'canonical.targets');
  }
  const s = pick((x) => x.files.sources.includes('%25'), '%25 in the sources');
  if (s) {
    s.files.sources = s.files.sources.replace('%25', '%');
    await expectPart('bare % in sources', recommit(s), {}, 'canonical.sources');
  }
}
// a CR
{
  const r = pick(withTargets(1), 'a target');
  if (r) {
    r.files.targets = r.files.targets.replace('\n', '\r\n');
    await expectPart('CR in targets', recommit(r), {}, 'canonical.targets');
  }
  const o = pick((x) => x.outputs.teams !== '', 'teams');
  if (o) {
    o.outputs.teams = o.outputs.teams.replace(/\n$/, '\r\n');
    await expectPart('CR in outputs.teams', o, published(o), 'canonical.outputs.teams');
  }
}
// a duplicated line
{
  const r = pick((x) => x.files.inspectors !== '', 'inspectors');
  if (r) {
    const ls = lines(r.files.inspectors);
    ls.splice(1, 0, ls[0]);
    r.files.inspectors = text(ls);
    await expectPart('duplicated inspectors line', recommit(r), {}, 'canonical.inspectors');
  }
}
// no LF after the last line; a byte-order mark; an unpaired surrogate
{
  const r = pick(() => true, 'any');
  const a = clone(r);
  a.files.parameters = a.files.parameters.slice(0, -1);
  await expectPart('no final LF', recommit(a), {}, 'canonical.parameters');
  const b = clone(r);
  b.files.exclusions = '\ufeff' + b.files.exclusions;
  await expectPart('byte-order mark', recommit(b), {}, 'canonical.exclusions');
  const c = clone(r);
  c.files.sources = c.files.sources.replace(/\n$/, '\ud800\n');
  await expectPart('unpaired surrogate', c, {}, 'canonical.sources');
}
// bytewise (UTF-8) order, not UTF-16 order: U+FF21 sorts before U+1F600 in UTF-8, after it in UTF-16
{
  const r = pick(() => true, 'any');
  const id = '00000000-0000-4000-8000-00000000abcd';
  const good = clone(r);
  const ex = lines(good.files.exclusions).concat(['X|target|' + id + '|label|r-\uff21', 'X|target|' + id + '|label|r-\u{1f600}']);
  good.files.exclusions = text(ex.sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
  // Changing a file changes the key: the record is cut back to its commit act (a draw in progress) to MATCH.
  good.acts = good.acts.slice(0, 1);
  for (const o of Object.keys(good.outputs)) good.outputs[o] = '';
  await expectPart('UTF-8 order U+FF21 < U+1F600 (record cut back to its commit act)', recommit(good), {}, null);
  const bad = clone(r);
  bad.files.exclusions = text(ex.sort());
  await expectPart('UTF-16 order is not bytewise', recommit(bad), {}, 'canonical.exclusions');
}
// a changed randomness value with the chain recomputed: the published record hash no longer matches
{
  const r = pick((x) => x.acts.some((a) => kind(a) === 'randomness' && /[0-9]/.test(a.split('|')[6])), 'a randomness value with a digit');
  if (r) {
    const pub = published(r);
    const i = r.acts.findIndex((a) => kind(a) === 'randomness' && /[0-9]/.test(a.split('|')[6]));
    const f = r.acts[i].split('|');
    f[6] = f[6].replace(/[0-9]/, (d) => String((+d + 1) % 10));
    r.acts[i] = f.join('|');
    rechain(r);
    await expectPart('changed randomness value, chain recomputed', r, pub, 'expect.record');
    await expectPart('changed randomness value, chain recomputed, nothing published', r, {}, 'outputs.targets');
  }
}
// a dropped recusal / replacement act with the chain recomputed
// (the last recusal or replacement of its record, so that no later act names the target it brought in)
const lastChange = (x) => {
  let j = -1;
  x.acts.forEach((a, i) => { if (kind(a) === 'inspector' || kind(a) === 'target') j = i; });
  return j;
};
for (const k of ['inspector', 'target']) {
  const r = pick((x) => lastChange(x) >= 0 && kind(x.acts[lastChange(x)]) === k, 'a ' + k + ' act as the last change');
  if (r) {
    const pub = published(r);
    r.acts.splice(lastChange(r), 1);
    rechain(renumber(r));
    await expectPart('dropped ' + k + ' act, chain recomputed', r, pub, 'expect.record');
    await expectPart('dropped ' + k + ' act, chain recomputed, nothing published', r, {}, 'outputs.replacements');
  }
}
// a second randomness act for one source
{
  const r = pick((x) => x.acts.some((a) => kind(a) === 'randomness'), 'a randomness act');
  if (r) {
    const i = r.acts.findIndex((a) => kind(a) === 'randomness');
    r.acts.splice(i + 1, 0, r.acts[i]);
    rechain(renumber(r));
    await expectPart('second randomness act for one source', r, {}, 'acts');
  }
}
// a wrong discipline contribution in its act
{
  const r = pick((x) => x.acts.some((a) => a.includes('|contribution|discipline|')), 'a discipline contribution');
  if (r) {
    const i = r.acts.findIndex((a) => a.includes('|contribution|discipline|'));
    const f = r.acts[i].split('|');
    f[6] = (f[6][0] === '0' ? '1' : '0') + f[6].slice(1);
    r.acts[i] = f.join('|');
    const pub = published(r);
    await expectPart('wrong discipline contribution, chain not recomputed', clone(r), pub, 'recordSha256');
    rechain(r);
    await expectPart('wrong discipline contribution, chain recomputed, nothing published', clone(r), {}, 'contribution.discipline');
    await expectPart('wrong discipline contribution, chain recomputed, published hash', clone(r), pub, 'expect.record');
  }
}
// white space is exactly Unicode White_Space: U+0085 is white space, U+FEFF and U+200B are not
{
  const base = pick((x) => x.acts.some((a) => kind(a) === 'randomness' && a.split('|')[6].includes(' ')), 'a value with a space');
  if (base) {
    const i = base.acts.findIndex((a) => kind(a) === 'randomness' && a.split('|')[6].includes(' '));
    const name = base.acts[i].split('|')[5];
    const variant = (fn) => {
      const r = clone(base);
      const f = r.acts[i].split('|');
      f[6] = fn(f[6]);
      r.acts[i] = f.join('|');
      return rechain(r);
    };
    await expectPart('U+0085 inside a value', variant((v) => v.replace(' ', '\u0085')), {}, 'randomness.' + name);
    await expectPart('two spaces inside a value', variant((v) => v.replace(' ', '  ')), {}, 'randomness.' + name);
    await expectPart('U+3000 at the end of a value', variant((v) => v + '\u3000'), {}, 'randomness.' + name);
    await expectPart('U+FEFF at the end of a value (canonical, other key)', variant((v) => v + '\ufeff'), {}, 'outputs.targets');
    await expectPart('U+200B inside a value (canonical, other key)', variant((v) => v.replace(' ', ' \u200b')), {}, 'outputs.targets');
    await expectPart('non-NFC value', variant((v) => v + ' A\u030a'), {}, 'randomness.' + name);
  }
}
// other parts
{
  const r = pick((x) => x.outputs.teams.includes('|'), 'teams');
  // the algorithm; the record's shape
  await expectPart('supervision-draw/1 record', { ...clone(r), algorithm: 'supervision-draw/1' }, {}, 'algorithm');
  const ex1 = join(here, '..', 'docs', 'draw-example-record-1.json');
  if (existsSync(ex1)) await expectPart('the /1 example record', JSON.parse(readFileSync(ex1, 'utf8')), {}, 'algorithm');
  for (const hostile of [null, 42, 'x', [], {}, { algorithm: 'supervision-draw/2' }]) {
    await expectPart('hostile ' + JSON.stringify(hostile), hostile, {}, 'record');
  }
  const noActs = clone(r);
  delete noActs.acts;
  await expectPart('no acts member', noActs, {}, 'record');
  const numAct = clone(r);
  numAct.acts[0] = 1;
  await expectPart('an act that is a number', numAct, {}, 'record');
  const noOut = clone(r);
  noOut.outputs.batches = null;
  await expectPart('outputs.batches null', noOut, {}, 'record');
  // unknown members are ignored (the staff record's actors)
  await expectPart('actors member ignored', { ...clone(r), actors: { x: 1 } }, published(r), null);
  // the commitment
  const cm = clone(r);
  cm.commitment = cm.commitment.replace('\n', '\n\n');
  await expectPart('commitment text altered', cm, {}, 'commitment');
  const cf = clone(r);
  cf.files.exclusions += 'X|target|ffffffff-0000-4000-8000-000000000000|x|y\n';
  await expectPart('a file changed, commitment not rebuilt', cf, {}, 'commitment');
  const ch = clone(r);
  ch.commitmentSha256 = ch.commitmentSha256.toUpperCase();
  await expectPart('commitmentSha256 upper case', ch, {}, 'commitmentSha256');
  await expectPart('wrong published commitment', clone(r), { expectCommitment: sha('x'), expectRecord: r.recordSha256 }, 'expect.commitment');
  await expectPart('wrong published record', clone(r), { expectCommitment: r.commitmentSha256, expectRecord: sha('x') }, 'expect.record');
  await expectPart('published hashes in upper case', clone(r), { expectCommitment: r.commitmentSha256.toUpperCase(), expectRecord: r.recordSha256.toUpperCase() }, null);
  // parameters
  const pa = clone(r);
  pa.files.parameters = pa.files.parameters.replace(/P\|batches\|[0-9]+/, 'P|batches|101');
  await expectPart('batches 101', recommit(pa), {}, 'files.parameters');
  const pb = clone(r);
  pb.files.parameters = text(lines(pb.files.parameters).filter((l) => !l.startsWith('P|window|')));
  await expectPart('missing window', recommit(pb), {}, 'files.parameters');
  const pc = clone(r);
  pc.files.parameters = text(lines(pc.files.parameters).concat(['P|colour|blue']).sort());
  await expectPart('unknown key', recommit(pc), {}, 'files.parameters');
  const pd = clone(r);
  pd.files.parameters = pd.files.parameters.replace(/P\|load-cap\|[0-9]+/, 'P|load-cap|07');
  await expectPart('leading zero', recommit(pd), {}, 'files.parameters');
  // quotas
  const qa = pick((x) => /^Q\|[^|]*\|[0-9]+\|[1-9]/m.test(x.files.quotas), 'a non-zero quota');
  if (qa) {
    qa.files.quotas = qa.files.quotas.replace(/^(Q\|[^|]*\|[0-9]+\|)([0-9]+)$/m, (_, a, b) => a + (+b + 1));
    await expectPart('quota + 1', recommit(qa), {}, 'files.quotas');
  }
  // targets: a stratum without its sampling line
  const ta = pick((x) => /^P\|sampling\|class\|/m.test(x.files.parameters), 'class sampling');
  if (ta) {
    const ls = lines(ta.files.targets);
    const f = ls[0].split('|');
    f[1] = 'no-such-class';
    ls[0] = f.join('|');
    ta.files.targets = text(ls.sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    await expectPart('stratum without sampling line', recommit(ta), {}, 'files.targets');
  }
  // sources: none declared
  const sa = clone(r);
  sa.files.sources = '';
  await expectPart('no source', recommit(sa), {}, 'files.sources');
  // acts: time going backwards, void not last
  const aa = clone(r);
  const f2 = aa.acts[1].split('|');
  f2[2] = '2000-01-01T00:00:00Z';
  aa.acts[1] = f2.join('|');
  await expectPart('act time before the previous one', rechain(aa), {}, 'acts');
  // outputs: a changed member line; a draw act hash; a recusal that does not apply
  const oa = clone(r);
  const ms = lines(oa.outputs.teams);
  const mf = ms[0].split('|');
  const other = ms.map((l) => l.split('|')[3]).find((i) => i !== mf[3] && i !== '-');
  if (other) {
    mf[3] = other;
    ms[0] = mf.join('|');
    oa.outputs.teams = text(ms);
    await expectPart('a member changed in outputs.teams', oa, published(oa), 'outputs.teams');
  }
  const da = clone(r);
  const di = da.acts.findIndex((a) => kind(a) === 'draw');
  da.acts[di] = da.acts[di].replace(/\|[0-9a-f]{64}$/, '|' + sha('not the batches'));
  await expectPart('draw act hash of batches', rechain(da), {}, 'acts.draw');
  const ra = pick((x) => x.acts.some((a) => kind(a) === 'inspector'), 'a recusal');
  if (ra) {
    const i = ra.acts.findIndex((a) => kind(a) === 'inspector');
    const f = ra.acts[i].split('|');
    f[6] = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
    ra.acts[i] = f.join('|');
    await expectPart('recusal of an inspector not in the team', rechain(ra), {}, 'replacements');
  }
  const rb = clone(r);
  rb.outputs.replacements = 'R|0001|target|ffffffff-ffff-4fff-8fff-ffffffffffff|-\n';
  await expectPart('a replacement line out of nowhere', rb, published(rb), 'outputs.replacements');
}

// ------------------------------------------------------------------ 3. as a classic <script> (no module, no require)

{
  const src = readFileSync(join(here, '..', 'src', 'Supervision.Api', 'Public', 'draw-verify.js'), 'utf8');
  const ctx = vm.createContext({ crypto: globalThis.crypto, TextEncoder });
  vm.runInContext(src, ctx, { filename: 'draw-verify.js' });
  check(typeof ctx.verifyDrawRecord === 'function', 'classic script sets globalThis.verifyDrawRecord');
  const first = all[0];
  if (first && typeof ctx.verifyDrawRecord === 'function') {
    const res = await ctx.verifyDrawRecord(clone(first[1]), published(first[1]));
    check(res.matches === true, 'classic script verifies ' + first[0] + ': ' + res.part + ' ' + res.message);
  }
}

// ------------------------------------------------------------------ 4. the command line

{
  const dir = mkdtempSync(join(tmpdir(), 'verify-draw-'));
  try {
    const [f, r] = all.find(([, x]) => x.acts.some((a) => kind(a) === 'target')) || all[0] || [];
    if (r) {
      const good = join(RECORDS, f);
      let p = spawnSync(process.execPath, [CLI, good, '--expect-commitment', r.commitmentSha256, '--expect-record', r.recordSha256], { encoding: 'utf8' });
      check(p.status === 0 && p.stdout === 'MATCH\n', 'CLI MATCH: ' + p.status + ' ' + p.stdout + p.stderr);
      p = spawnSync(process.execPath, [CLI, good], { encoding: 'utf8' });
      check(p.status === 0 && p.stdout.startsWith('MATCH (consistent, but not checked against published hashes'), 'CLI MATCH without expectations: ' + p.stdout);
      p = spawnSync(process.execPath, [CLI, good, '--expect-commitment', r.commitmentSha256, '--expect-record', sha('x')], { encoding: 'utf8' });
      check(p.status === 1 && p.stdout.startsWith('MISMATCH: expect.record: '), 'CLI MISMATCH: ' + p.status + ' ' + p.stdout);
      const t = clone(r);
      t.files.targets = t.files.targets.replace('\n', '\r\n');
      writeFileSync(join(dir, 'cr.json'), JSON.stringify(t));
      p = spawnSync(process.execPath, [CLI, join(dir, 'cr.json')], { encoding: 'utf8' });
      check(p.status === 1 && p.stdout.startsWith('MISMATCH: canonical.targets: '), 'CLI canonical.targets: ' + p.stdout);
    }
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    let p = spawnSync(process.execPath, [CLI, join(dir, 'bad.json')], { encoding: 'utf8' });
    check(p.status === 2 && p.stderr.startsWith('UNREADABLE: '), 'CLI non-JSON: ' + p.status + ' ' + p.stderr);
    writeFileSync(join(dir, 'shape.json'), '{"algorithm":"supervision-draw/2"}');
    p = spawnSync(process.execPath, [CLI, join(dir, 'shape.json')], { encoding: 'utf8' });
    check(p.status === 2 && p.stderr.startsWith('UNREADABLE: record: '), 'CLI record: ' + p.status + ' ' + p.stderr);
    writeFileSync(join(dir, 'latin1.json'), Buffer.from([0x22, 0xe9, 0x22]));
    p = spawnSync(process.execPath, [CLI, join(dir, 'latin1.json')], { encoding: 'utf8' });
    check(p.status === 2 && p.stderr.startsWith('UNREADABLE: '), 'CLI invalid UTF-8: ' + p.status + ' ' + p.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${checks - failures}/${checks} checks passed`);
process.exitCode = failures ? 1 : 0;
