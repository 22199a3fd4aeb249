import type { NextConfig } from "next";

const production = process.env.NODE_ENV === "production";

// Headers every response carries (SPEC 5.5). The Content-Security-Policy is set
// per request in proxy.ts, because it carries a fresh nonce.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ...(production
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
    : []),
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // PGlite ships WebAssembly and argon2 a native addon: load them from node_modules.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  // `next dev` would otherwise log server-action arguments, passwords included.
  logging: { serverFunctions: false },
  experimental: {
    authInterrupts: true,
    serverActions: { bodySizeLimit: "256kb" },
  },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // Reset pages never leak their address (SPEC 4.4); everything else leaks only the origin.
      {
        source: "/((?!reset-password).*)",
        headers: [{ key: "Referrer-Policy", value: "strict-origin-when-cross-origin" }],
      },
      {
        source: "/reset-password/:path*",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "Cache-Control", value: "no-store" },
        ],
      },
      {
        source: "/reset-password",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "Cache-Control", value: "no-store" },
        ],
      },
    ];
  },
};

export default nextConfig;
