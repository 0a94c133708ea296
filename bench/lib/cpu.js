'use strict';

/** CPU time from /proc (Linux), in milliseconds, to relate throughput to the CPU it cost. */

const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

let ticksPerSecond = 100;
try {
  ticksPerSecond =
    Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) ||
    100;
} catch {
  // keep the usual 100
}

function readStat(file) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is field 3 (state); utime=14, stime=15, cutime=16, cstime=17.
    const f = n => Number(fields[n - 3]);
    return {
      comm,
      ppid: f(4),
      utime: f(14),
      stime: f(15),
      cutime: f(16),
      cstime: f(17),
    };
  } catch {
    return undefined;
  }
}

const toMs = ticks => (ticks * 1000) / ticksPerSecond;

/** CPU of one thread of this process (the main thread's id is the process id): user, system. */
function threadCpuMs(tid = process.pid) {
  const stat = readStat(`/proc/${process.pid}/task/${tid}/stat`);
  return stat
    ? { user: toMs(stat.utime), system: toMs(stat.stime) }
    : undefined;
}

function processCpuMs(pid) {
  const stat = readStat(`/proc/${pid}/stat`);
  return stat ? toMs(stat.utime + stat.stime) : undefined;
}

/** The summed CPU of the given processes (those that still exist). */
function processesCpuMs(pids) {
  let total = 0;
  for (const pid of pids) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat) total += stat.utime + stat.stime;
  }
  return toMs(total);
}

/**
 * Every PostgreSQL process on the machine, plus what the postmaster collected from exited
 * backends. Machine-wide: other users of the same server are included.
 */
function postgresCpuMs() {
  let total = 0;
  let found = false;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(`/proc/${entry}/stat`);
    if (!stat || !stat.comm.startsWith('postgres')) continue;
    found = true;
    total += stat.utime + stat.stime;
    const parent = readStat(`/proc/${stat.ppid}/stat`);
    if (!parent || !parent.comm.startsWith('postgres'))
      total += stat.cutime + stat.cstime; // postmaster
  }
  return found ? toMs(total) : undefined;
}

/** CPU of the whole machine (all cores), from /proc/stat: busy and total, in ms. */
function machineCpuMs() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: toMs(busy), total: toMs(busy + idle + iowait) };
  } catch {
    return undefined;
  }
}

module.exports = {
  threadCpuMs,
  processCpuMs,
  processesCpuMs,
  postgresCpuMs,
  machineCpuMs,
};
