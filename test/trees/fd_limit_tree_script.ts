// Run by tree_at_fd_limit.test.ts: lowers its own fd limit (prlimit) to what PidFd.tree(2)
// needs for kthreadd's members but not for a pidfd of every process at once, then reads the
// tree. Prints one JSON line of what it saw.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { PidFd } from "../../host/index.js";
import { openFds } from "../util.js";

PidFd.tree(2).close(); // everything the walk loads, loaded
execFileSync("true"); // and what a first child process leaves open (libuv's signal pipe)
const kernelThreads = fs.readFileSync("/proc/2/task/2/children", "utf8").trim().split(" ").length;
const listed = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).length;
const open = openFds().length;
const limit = open + kernelThreads + 4; // kthreadd, its children and one children file, with room for kernel threads that start meanwhile
execFileSync("prlimit", [`--pid=${process.pid}`, `--nofile=${limit}:${limit}`]);
const report: Record<string, unknown> = { kernelThreads, limit, scanNeeds: open + listed - 1 };
try {
  using tree = PidFd.tree(2);
  report.nodes = tree.nodes.length;
  report.allUnderKthreadd = tree.nodes.slice(1).every((node) => node.ppid === 2 && node.pidfd.getPpid() === 2);
} catch (error) {
  report.error = String(error);
}
report.fdsAfter = openFds().length - open;
process.stdout.write(`${JSON.stringify(report)}\n`);
