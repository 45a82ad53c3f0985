// ESLint for the PWA, which has no build step: the ES modules of pwa/js, the classic scripts
// that the page and the service worker share (importScripts), the Node unit tests and the
// live tests' OpenID provider.
import js from "@eslint/js";
import globals from "globals";

const CLASSIC = ["pwa/sw.js", "pwa/js/idb-schema.js", "pwa/js/outbox-core.js"];

export default [
  { ignores: ["pwa/vendor/**", "**/node_modules/**", ".venv/**", "bench/results/**"] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
      "no-shadow": "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["pwa/js/**/*.js"],
    ignores: CLASSIC,
    languageOptions: { sourceType: "module", globals: globals.browser },
  },
  {
    files: CLASSIC,
    languageOptions: { sourceType: "script", globals: { ...globals.browser, ...globals.serviceworker } },
  },
  {
    // app/pwa.py stamps the shell's module list into the service worker in place of this name.
    files: ["pwa/sw.js"],
    languageOptions: { globals: { __SHELL_MODULES__: "readonly" } },
  },
  {
    files: ["tests/js/**/*.mjs", "tests/live/**/*.mjs", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
