import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);
import {
  EnvironmentError
} from "./chunk-RTQ2UXCO.js";

// src/git/exec.ts
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
function scrubUrl(text) {
  return text.replace(/(\w+:\/\/)[^/@\s]+@/g, "$1***@");
}
var LOCKED_CONFIG = [
  ["safe.bareRepository", "explicit"],
  ["core.fsmonitor", "false"],
  ["remote.origin.uploadpack", "git-upload-pack"],
  ["remote.origin.receivepack", "git-receive-pack"],
  ["protocol.ext.allow", "never"]
];
var DISCOVERY_VARS = ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE"];
function gitEnv(o = {}) {
  const env = { ...process.env };
  for (const k of DISCOVERY_VARS) delete env[k];
  const config = [...LOCKED_CONFIG, ...o.hooks ? [] : [["core.hooksPath", "/dev/null"]]];
  const inherited = Number(env.GIT_CONFIG_COUNT);
  const start = Number.isInteger(inherited) && inherited > 0 ? inherited : 0;
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${start + i}`] = key;
    env[`GIT_CONFIG_VALUE_${start + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(start + config.length);
  const ceiling = o.ceiling ?? (o.cwd ? dirname(resolve(o.cwd)) : void 0);
  if (ceiling) env.GIT_CEILING_DIRECTORIES = ceiling;
  return { ...env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...o.extra };
}
var DISK_FULL = /no space left on device|out of diskspace|disk quota exceeded/i;
function git(args, opts) {
  return new Promise((resolve2, reject) => {
    const child = spawn("git", args, {
      cwd: opts.cwd,
      env: envFor(opts),
      stdio: ["pipe", "pipe", "pipe"]
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    child.on("error", (e) => {
      reject(
        e.code === "ENOENT" ? new EnvironmentError("git is not installed (or not on PATH)", { hint: "install git; modelgate reads the registry history with it" }) : new EnvironmentError(`could not run git ${args[0]}: ${e.message}`, { cause: e })
      );
    });
    child.on("close", (code) => {
      const res = { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), code: code ?? 1 };
      if (res.code !== 0 && !opts.allowFail) {
        const full = DISK_FULL.test(res.stderr);
        reject(
          new EnvironmentError(`${full ? "the disk is full: " : ""}git ${scrubUrl(args.join(" "))} failed: ${scrubUrl(res.stderr.trim()) || `exit ${res.code}`}`, {
            hint: full ? "free some disk space, then re-run" : "check that the repository is a healthy git checkout and that remotes are reachable"
          })
        );
        return;
      }
      resolve2(res);
    });
    child.stdin.on("error", () => void 0);
    child.stdin.end(opts.input ?? "");
  });
}
function envFor(opts) {
  return gitEnv({ cwd: opts.cwd, ...opts.env ? { extra: opts.env } : {}, ...opts.hooks ? { hooks: true } : {}, ...opts.ceiling !== void 0 ? { ceiling: opts.ceiling } : {} });
}

export {
  scrubUrl,
  gitEnv,
  DISK_FULL,
  git
};
