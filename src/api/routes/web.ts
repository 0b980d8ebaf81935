import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** The review page: three static files, no build step. They hold no data; the API needs a token. */
const FILES: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

export function defaultWebDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web');
}

export default async function webRoutes(app: FastifyInstance, o: { webDir?: string }) {
  const dir = o.webDir ?? defaultWebDir();
  for (const [url, file] of Object.entries(FILES)) {
    app.get(url, { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      const body = await readFile(join(dir, file));
      const ext = file.split('.').pop()!;
      return reply
        .type(TYPES[ext])
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
        .send(body);
    });
  }
}
