#!/usr/bin/env node
'use strict';

/**
 * What fills a V8 heap snapshot, and what grew between two:
 * `node --max-old-space-size=8192 bench/heap-summary.js early.heapsnapshot [late.heapsnapshot]`.
 *
 * Sums the self size and count of the snapshot's nodes by type and constructor name (strings by
 * their first characters, so that a repeated kind of string shows up as one line), and prints
 * the largest groups — with two snapshots, the groups that grew most. Self sizes, not retained
 * sizes: computing dominators is more than a reading of the soak needs.
 */

const fs = require('node:fs');

const TOP = Number(process.env.TOP ?? 30);

function summarize(file) {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const width = fields.length;
  const TYPE = fields.indexOf('type');
  const NAME = fields.indexOf('name');
  const SIZE = fields.indexOf('self_size');
  const { nodes, strings } = snapshot;
  const groups = new Map();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + TYPE]];
    let name = strings[nodes[i + NAME]];
    if (
      type === 'string' ||
      type === 'concatenated string' ||
      type === 'sliced string'
    )
      name = JSON.stringify(name.slice(0, 40));
    const key = `${type} ${name}`;
    const group = groups.get(key) ?? { key, count: 0, bytes: 0 };
    group.count++;
    group.bytes += nodes[i + SIZE];
    groups.set(key, group);
  }
  return groups;
}

const MIB = 1024 * 1024;
const [first, second] = process.argv.slice(2);
if (!first) {
  console.error('usage: bench/heap-summary.js a.heapsnapshot [b.heapsnapshot]');
  process.exit(2);
}
const a = summarize(first);
const total = groups => [...groups.values()].reduce((n, g) => n + g.bytes, 0);
if (!second) {
  console.log(`${first}: ${(total(a) / MIB).toFixed(1)} MiB`);
  for (const g of [...a.values()]
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, TOP))
    console.log(
      `${(g.bytes / MIB).toFixed(2).padStart(9)} MiB ${String(g.count).padStart(
        9,
      )}  ${g.key.slice(0, 120)}`,
    );
} else {
  const b = summarize(second);
  console.log(
    `${(total(a) / MIB).toFixed(1)} MiB -> ${(total(b) / MIB).toFixed(1)} MiB`,
  );
  const keys = new Set([...a.keys(), ...b.keys()]);
  const diffs = [...keys].map(key => {
    const x = a.get(key) ?? { bytes: 0, count: 0 };
    const y = b.get(key) ?? { bytes: 0, count: 0 };
    return {
      key,
      bytes: y.bytes - x.bytes,
      count: y.count - x.count,
      after: y.bytes,
    };
  });
  for (const d of diffs.sort((x, y) => y.bytes - x.bytes).slice(0, TOP))
    console.log(
      `${(d.bytes / MIB).toFixed(2).padStart(9)} MiB ${String(d.count).padStart(
        9,
      )}  (${(d.after / MIB).toFixed(1)} MiB now)  ${d.key.slice(0, 110)}`,
    );
}
