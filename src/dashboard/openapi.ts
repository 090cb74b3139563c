import { z } from 'zod';
import { apiErrorSchema, ENDPOINTS } from './api-schemas.ts';

/**
 * The OpenAPI 3.1 document of the JSON API, generated from the same zod schemas the server validates
 * queries with (zod 4's own JSON Schema output; OpenAPI 3.1 schemas are JSON Schema 2020-12).
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const endpoint of ENDPOINTS) {
    const query = z.toJSONSchema(endpoint.query, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, Record<string, unknown>>;
    };
    const parameters = [
      ...Object.entries(endpoint.params ?? {}).map(([name, schema]) => ({
        name,
        in: 'path',
        required: true,
        schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
      })),
      ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      })),
    ];
    paths[endpoint.path] = {
      get: {
        summary: endpoint.summary,
        parameters,
        responses: {
          '200': { description: 'OK', content: { 'application/json': { schema: jsonSchema(endpoint.response) } } },
          '400': {
            description: 'a query parameter is not valid',
            content: { 'application/json': { schema: jsonSchema(apiErrorSchema) } },
          },
          '404': { description: 'not found', content: { 'application/json': { schema: jsonSchema(apiErrorSchema) } } },
          '503': {
            description:
              'the store cannot be read (its server gone, its file damaged), or the SQLite file the dashboard ' +
              'opened was removed or replaced since: the message says what to do',
            content: { 'application/json': { schema: jsonSchema(apiErrorSchema) } },
          },
        },
      },
    };
  }
  paths['/api/events'] = {
    get: {
      summary:
        'server-sent events: `ready` with the change stamp `{"data":…,"heartbeats":…}` on connecting, ' +
        '`changed` with the new stamp whenever the store has new data or a session heartbeats',
      responses: { '200': { description: 'an event stream', content: { 'text/event-stream': {} } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'packgate dashboard API',
      version: '1',
      description: 'Read-only: every method other than GET and HEAD answers 405.',
    },
    paths,
  };
}

function jsonSchema(schema: z.ZodType): unknown {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}
