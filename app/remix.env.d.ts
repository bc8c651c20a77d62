/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single Fetch (v3_singleFetch in remix.config.js): loader and action data are
// typed as what `data()` carries, not as JSON of the Response. (The export makes
// this file a module, so the declaration below augments rather than replaces.)
export {};

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
