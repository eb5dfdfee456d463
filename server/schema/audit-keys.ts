// Every key that has signed audit checkpoints, for managers and the auditors they hand it to (key
// rotation, audit/key-ring.ts): which key signs which checkpoints, old keys included, so a log
// signed across a rotation can be verified with public keys alone.
import { builder } from './builder.ts';

const AuditListedSigningKey = builder.prismaObject('AuditSigningKey', {
  variant: 'AuditListedSigningKey',
  description:
    'A key that has signed audit checkpoints: it signs those with an id above afterCheckpointId, up to the next key’s. Each listing is signed by its own key and names the key before it.',
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint', { description: '`SHA256:` and the base64 SHA-256 of the public key.' }),
    publicKeyPem: t.exposeString('publicKeyPem'),
    afterCheckpointId: t.string({ resolve: (row) => String(row.afterCheckpointId) }),
    since: t.expose('since', { type: 'DateTime', description: 'When the key was listed (took over).' }),
    previousFingerprint: t.exposeString('previousFingerprint', { nullable: true }),
    signature: t.exposeString('signature', { description: 'Base64 Ed25519 signature of the listing by its own key.' }),
  }),
});

builder.queryFields((t) => ({
  auditSigningKeys: t.withAuth({ manager: true }).prismaField({
    type: [AuditListedSigningKey],
    description:
      'Every key that has signed audit checkpoints, oldest first; the last one signs now. A retired key stays listed for the checkpoints of its time.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.auditSigningKey.findMany({ ...query, orderBy: { id: 'asc' } }),
  }),
}));
