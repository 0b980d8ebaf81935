import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The SHA-256 of the one inline style swagger-ui's bundle applies (@fastify/swagger-ui 6's
 * swagger-ui-bundle.js), as chromium names it in the violation it reports: allowed by hash, not by
 * 'unsafe-inline' (no other inline style runs). A new swagger-ui writes another: the docs page's
 * browser test (test/e2e/docs-page-console.test.ts) then fails naming the new hash.
 */
const DOCS_INLINE_STYLE = 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';

/** OpenAPI document at /docs/json (from the routes' zod schemas), interactive docs at /docs. */
export default fp(async function docs(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: { title: 'rowback service', description: 'Staging, review and re-insert of recovered rows', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // staticCSP: the docs page gets a CSP of its own (its scripts and styles from /docs/static only),
  // and the one inline <style> swagger-ui's bundle writes allowed by its hash (DOCS_INLINE_STYLE): the
  // page said in the console, on every load, that applying it violated style-src
  await app.register(swaggerUi, {
    routePrefix: '/docs', uiConfig: { persistAuthorization: false }, staticCSP: true,
    transformStaticCSP: (csp: string) => csp.replace("style-src 'self' https:", `style-src 'self' https: '${DOCS_INLINE_STYLE}'`),
  });
}, { name: 'rowback-docs' });
