import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);

// src/cli/main.ts
console.log("modelgate 0.1.0");
