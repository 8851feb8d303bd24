/**
 * `tags.match` patterns, run by RE2 (the pure-JS port `re2js`): matching takes time linear in
 * the tag value, whatever the pattern (SPEC section 4). A base-policy pattern such as
 * `^([a-z0-9]+-?)+$` took 16 s on a 28-character value with the backtracking RegExp engine and
 * doubled per character; here it takes well under a millisecond.
 *
 * Patterns keep the meaning they had as JavaScript regular expressions (no flags): the syntax
 * RE2 spells differently is translated (`\uXXXX`, named groups), and so are the two classes
 * whose sets differ — `.` stops at `\n`, `\r`, U+2028 and U+2029, `\s` is JavaScript's
 * whitespace set — and a `[` inside a class is literal (not a POSIX `[:alpha:]`). What RE2
 * cannot run in linear time (backreferences, lookahead, lookbehind) or at all (a repeat count
 * over 1,000) is refused when the policy is loaded, naming the pattern. Values are matched as
 * Unicode code points (a character outside the BMP is one `.`, as with the `u` flag).
 */
import { RE2JS } from 're2js';

export interface TagPattern {
  source: string;
  test(value: string): boolean;
}

/** JavaScript's `\s`: WhiteSpace and LineTerminator of ECMA-262, as RE2 class items. */
const JS_SPACE = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
/** JavaScript's `.` without the `s` flag. */
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]';

const compiled = new Map<string, TagPattern | Error>();

/** The compiled pattern, or an Error saying why RE2 cannot run it. Cached: policies are few. */
export function compileTagPattern(source: string): TagPattern | Error {
  let p = compiled.get(source);
  if (!p) {
    try {
      const re = RE2JS.compile(toRe2(RE2JS.translateRegExp(source)));
      p = { source, test: (value) => re.test(value) };
    } catch (err) {
      p = new Error(reason(err));
    }
    compiled.set(source, p);
  }
  return p;
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/\(\?[=!]|\(\?<[=!]|lookbehind|lookahead/i.test(message)) return `${message} (lookahead and lookbehind cannot run in linear time)`;
  if (/escape sequence: `\\[1-9]/.test(message)) return `${message} (backreferences cannot run in linear time)`;
  return message;
}

/** Rewrites the classes whose meaning differs between JavaScript and RE2 (see the module comment). */
export function toRe2(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const e = pattern[i + 1]!;
      i++;
      if (e === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (e === 'S') {
        if (inClass) throw new Error('\\S inside a character class is not supported: write the class without it, or (?:[^…]|\\S)');
        out += `[^${JS_SPACE}]`;
      } else out += c + e;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      // JavaScript's `[]` matches nothing and `[^]` any character; RE2 reads a `]` there as a literal.
      if (pattern.startsWith('[]', i)) {
        out += '[^\\x00-\\x{10FFFF}]';
        i += 1;
        continue;
      }
      if (pattern.startsWith('[^]', i)) {
        out += '(?s:.)';
        i += 2;
        continue;
      }
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      continue;
    }
    out += c === '.' ? JS_DOT : c;
  }
  return out;
}

/** Whether JavaScript reads `pattern` as a regular expression at all (compiled, never run). */
export function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
