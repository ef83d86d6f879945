// One build for both pages: the explorer (index.html) and GraphiQL's script, whose HTML
// the server renders around it. Entry and stylesheet names carry no hash so the server
// can name GraphiQL's without reading a manifest (shared chunks do, for caching); the
// files are flat so that one glob ships them all in the wheel.
import { defineConfig } from "vite";

export default defineConfig({
  base: "/static/",
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "",
    // Inline data: URLs are allowed by the CSP, but every asset as a file keeps the
    // bundle readable and cacheable.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        explorer: "index.html",
        graphiql: "src/graphiql/main.js",
      },
      // React libraries mark modules "use client" for server-component bundlers; a
      // browser bundle has no server side, so the directive means nothing here.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
      // A timing report on every build is noise in scripts/install's output.
      checks: { pluginTimings: false },
      output: {
        entryFileNames: "[name].js",
        chunkFileNames: "[name]-[hash].js",
        assetFileNames: "[name][extname]",
      },
    },
  },
});
