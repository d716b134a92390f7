#!/usr/bin/env node
// Verifies a draw record of supervision-draw/2 with the same file the public draw page runs in the browser
// (src/Supervision.Api/Public/draw-verify.js); this is only its command line.
//
//   node tools/verify_draw.mjs RECORD.json [--expect-commitment HEX] [--expect-record HEX]
//
// MATCH (exit 0), MISMATCH: <part>: <text> (exit 1), UNREADABLE: ... on stderr (exit 2).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { verifyDrawRecord } = require('../src/Supervision.Api/Public/draw-verify.js');

const USAGE = 'usage: node tools/verify_draw.mjs RECORD.json [--expect-commitment HEX] [--expect-record HEX]';

function parseArgs(argv) {
  const opts = {};
  let file = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--expect-commitment' || a === '--expect-record') {
      if (i + 1 >= argv.length) throw new Error(a + ' needs a value');
      opts[a === '--expect-commitment' ? 'expectCommitment' : 'expectRecord'] = argv[++i];
    } else if (a.startsWith('--expect-commitment=')) {
      opts.expectCommitment = a.slice('--expect-commitment='.length);
    } else if (a.startsWith('--expect-record=')) {
      opts.expectRecord = a.slice('--expect-record='.length);
    } else if (a.startsWith('--') && a !== '--') {
      throw new Error('unknown option ' + a);
    } else if (file === null) {
      file = a;
    } else {
      throw new Error('more than one record file');
    }
  }
  if (file === null) throw new Error('no record file');
  return { file, opts };
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(e.message + '\n' + USAGE + '\n');
    return 2;
  }
  let record;
  try {
    const bytes = readFileSync(args.file === '-' ? 0 : args.file);
    // Strict UTF-8: a record that is not valid UTF-8 is not a readable JSON text.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    JSON.parse(text);
    record = text;   // the text itself, so the verifier can refuse a member named twice (section 10)
  } catch (e) {
    process.stderr.write('UNREADABLE: ' + args.file + ': ' + e.message + '\n');
    return 2;
  }
  const r = await verifyDrawRecord(record, args.opts);
  if (r.matches) {
    if (args.opts.expectCommitment && args.opts.expectRecord) {
      process.stdout.write('MATCH\n');
    } else {
      process.stdout.write('MATCH (consistent, but not checked against published hashes: give --expect-commitment and --expect-record)\n');
    }
    return 0;
  }
  if (r.part === 'record' || r.part === null) {
    process.stderr.write('UNREADABLE: ' + (r.part || 'verifier') + ': ' + r.message + '\n');
    return 2;
  }
  process.stdout.write('MISMATCH: ' + r.part + ': ' + r.message + '\n');
  return 1;
}

main().then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write('UNREADABLE: ' + (e && e.stack ? e.stack : e) + '\n'); process.exitCode = 2; }
);
