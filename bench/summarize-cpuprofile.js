#!/usr/bin/env node
'use strict';

/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package,
 * and inclusive time for functions matching --focus=<regex>.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/run.js --targets=postgres --scenarios=single
 *   node bench/summarize-cpuprofile.js /tmp/prof/<file>.cpuprofile [--top=30] [--focus=regex]
 *
 * A run writes one profile per thread; the backend's is the main thread's (the larger one).
 */

const fs = require('node:fs');
const path = require('node:path');

const file = process.argv[2];
if (!file) {
  console.error(
    'usage: summarize-cpuprofile.js <file.cpuprofile> [--top=N] [--focus=regex]',
  );
  process.exit(2);
}
const top = Number(
  (process.argv.find(a => a.startsWith('--top=')) ?? '--top=30').slice(6),
);
const focusArg = process.argv.find(a => a.startsWith('--focus='));
const focus = focusArg ? new RegExp(focusArg.slice(8)) : undefined;

const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes)
  for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from samples and time deltas (microseconds).
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

function packageOf(url) {
  if (!url) return '(native/V8)';
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (m) return m[m.length - 1].replace('node_modules/', '');
  if (url.startsWith('node:')) return 'node core';
  const rel = path.relative(
    path.resolve(__dirname, '..'),
    url.replace(/^file:\/\//, ''),
  );
  const parts = rel.split(path.sep);
  return parts[0] === 'plugins' ||
    parts[0] === 'packages' ||
    parts[0] === 'bench'
    ? `${parts[0]}/${parts[1]}`
    : rel;
}
const label = n => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url
    ? `${url
        .replace(/^.*node_modules\//, '')
        .replace(path.resolve(__dirname, '..') + '/', '')}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};

const byFunction = new Map();
const byPackage = new Map();
for (const [id, us] of self) {
  const n = nodes.get(id);
  const key = label(n);
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const pkg = ['(idle)', '(program)', '(garbage collector)'].includes(
    n.callFrame.functionName,
  )
    ? n.callFrame.functionName
    : packageOf(n.callFrame.url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}

const pct = us => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const ms = us => `${(us / 1000).toFixed(0).padStart(8)} ms`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nSelf time by package:');
for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(v)} ${ms(v)}  ${k}`);
console.log('\nSelf time by function:');
for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(v)} ${ms(v)}  ${k}`);

if (focus) {
  // Inclusive time: a sample counts once for every distinct matching frame on its stack.
  const inclusive = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const key = label(nodes.get(cur));
      if (focus.test(key) && !seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + us);
      }
    }
  }
  console.log(`\nInclusive time of functions matching ${focus}:`);
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(v)} ${ms(v)}  ${k}`);
}
