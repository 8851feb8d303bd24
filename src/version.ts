// Kept in step with package.json by the build (scripts/build.mjs defines it); "dev" under vitest.
declare const __MODELGATE_VERSION__: string | undefined;
export const VERSION: string = typeof __MODELGATE_VERSION__ === 'string' ? __MODELGATE_VERSION__ : 'dev';
