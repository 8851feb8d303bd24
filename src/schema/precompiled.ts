/**
 * Validators compiled from `schemas/*.json` ahead of time. `scripts/build.mjs` replaces this
 * module in the bundle with ajv's standalone code, so the CLI does not compile every schema on
 * every start (it was most of a small command's run time). Here, under vitest, it is empty and
 * schemas compile at run time: the same ajv, with the same options (schemas/ajv-options.json).
 */
import type { ValidateFunction } from 'ajv';

/** Validators by schema `$id`. */
export const precompiled: Record<string, ValidateFunction> = {};
