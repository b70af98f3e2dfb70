// The HTTP side the floor servers share: POST …/sessions/:id/messages with a JSON `content` awaits
// `send(sessionId, content)`: the stored message (201), null for a session that is not live (404), a
// failure (500); any other request answers 'ok' (the readiness probe).
import http from 'node:http';

const json = (response, status, body) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

export function serveSends(send) {
  http
    .createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        if (request.method !== 'POST') return void response.end('ok');
        Promise.resolve()
          .then(() => send(request.url.split('/')[4], JSON.parse(body).content))
          .then(
            (message) => (message ? json(response, 201, message) : json(response, 404, { error: 'SessionNotFoundError' })),
            (error) => json(response, 500, { error: String(error.message) }),
          );
      });
    })
    .listen(Number(process.env.PORT), '127.0.0.1');
}
