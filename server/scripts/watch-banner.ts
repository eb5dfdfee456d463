// CLI: prints the banner feed of an impersonation token, as the portal receives it.
//   npm run watch-banner -- <impersonation token> [ws://localhost:4000/graphql]
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [token, url = `ws://localhost:${process.env.PORT ?? 4000}/graphql`] = process.argv.slice(2);
if (!token) {
  console.error('usage: npm run watch-banner -- <impersonation token> [ws url]');
  process.exit(2);
}

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  // 4401/4403 mean the session is over: do not reconnect.
  shouldRetry: () => false,
  on: {
    closed: (event) => console.log(`socket closed: ${(event as CloseEvent).code} ${(event as CloseEvent).reason}`),
  },
});

client.subscribe(
  { query: 'subscription Banner { impersonationSession { state remainingSeconds expiresAt endReason canExtend } }' },
  {
    next: (message) => console.log(JSON.stringify(message.data ?? message.errors)),
    error: () => process.exit(1),
    complete: () => console.log('subscription complete'),
  },
);
