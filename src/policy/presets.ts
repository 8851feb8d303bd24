/**
 * The presets shipped in the project's `policies/` (what users name in `extends:`), bundled as
 * text so the CLI and the Action never read them from disk. Audit records name them
 * `preset:<name>`, and hash this exact text.
 */
import recommended from '../../policies/recommended.yaml?raw';
import strict from '../../policies/strict.yaml?raw';

export const PRESET_PREFIX = 'preset:';

export const PRESETS: Readonly<Record<string, string>> = Object.freeze({ recommended, strict });

export function presetNames(): string[] {
  return Object.keys(PRESETS).sort();
}

/** The text of a preset, by `preset:<name>` or `<name>`; undefined when there is none. */
export function presetText(source: string): string | undefined {
  const name = source.startsWith(PRESET_PREFIX) ? source.slice(PRESET_PREFIX.length) : source;
  return Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
}
