import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { scopeTableMarkdown } from '@switchboard/auth';

export const SWAGGER_PATH = 'api/docs';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Switchboard')
    .setDescription(
      'Sessions, messaging and agents for people and AI agents. Authenticate with `Authorization: Bearer <token>` ' +
        '(or `X-API-KEY: <token>`). Every error answers with the envelope `{ error, code, message, details }`. ' +
        'What the caller may not see (another key\'s session or channel) answers 404, as if it did not exist.\n\n' +
        `## Scopes\n\n${scopeTableMarkdown()}`,
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque (sb_key_… or sb_sess_…)', description: 'An API key or a session token' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-KEY', description: 'The same tokens, as ElizaOS clients send them' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup(SWAGGER_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    raw: ['json'],
    swaggerOptions: { persistAuthorization: true },
  });
}
