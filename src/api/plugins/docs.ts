import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

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
  // staticCSP: the docs page gets a CSP of its own (its scripts and styles from /docs/static only).
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: false }, staticCSP: true });
}, { name: 'rowback-docs' });
