// Cross-site request forgery: a page on another site can make a browser POST a "simple" request
// (form-urlencoded, multipart or text/plain body, no custom header) without asking CORS first. Such
// a POST could fire `signIn` with guessed passwords and lock an account out, even though its answer
// is unreadable. So a POST must carry a JSON or GraphQL content type, which no form can send and
// every real client does; anything else is refused with 415 UNSUPPORTED_MEDIA_TYPE before it is
// parsed (the idea of Yoga's CSRF prevention, by content type rather than a custom header, since
// the app's own client and GraphiQL already send JSON). GET carries queries only (Yoga refuses a
// mutation over GET with 405), and those change nothing.
import type { Plugin } from 'graphql-yoga';

/** The media types a POST may carry. */
export const POST_MEDIA_TYPES = new Set([
  'application/json',
  'application/graphql-response+json',
  'application/graphql',
]);

/** The 415 answer to a body the server does not read (this plugin's, and Yoga's when it has no parser). */
export const unsupportedMediaType = () =>
  new Response(
    JSON.stringify({
      errors: [
        {
          message: 'Send application/json or application/graphql-response+json',
          extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
        },
      ],
    }),
    { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } },
  );

/** Refuses a POST without a JSON or GraphQL content type (415), before its body is read. */
export function useCsrfPrevention(): Plugin {
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== 'POST') return;
      const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!POST_MEDIA_TYPES.has(mediaType)) endResponse(unsupportedMediaType());
    },
  };
}
