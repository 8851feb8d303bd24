/** The output formats every report renders (`--format`). */
export type OutputFormat = 'text' | 'json' | 'markdown';
