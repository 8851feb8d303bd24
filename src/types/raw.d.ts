// Text imports (`./file.yaml?raw`): bundled by scripts/build.mjs, understood natively by vitest.
declare module '*?raw' {
  const text: string;
  export default text;
}
