// What one operation saw, gathered while it executes, for its audit record (SPEC 4): the field
// paths resolved (by field name, so aliases and fragments change nothing), the ids of the portal
// records served per type (bounded), and the notes resolvers leave about administrative changes
// (before and after) that the audit plugin then writes. Nothing here writes.
import type { AuditAction, AuditOutcome, Prisma } from '@prisma/client';
import type { GraphQLResolveInfo } from 'graphql';

/** Most field paths kept per record. */
const MAX_FIELD_PATHS = 300;
/** Most ids kept per portal type per record (the count is kept whole). */
const MAX_IDS_PER_TYPE = 50;

/** A change a resolver made that its record must name: who, what, before and after. */
export interface AuditNote {
  action: AuditAction;
  /** @default ALLOWED */
  outcome?: AuditOutcome;
  /** The staff member acting, when the context does not say (sign-in). */
  staffId?: string | null;
  /** The customer concerned, if any. */
  customerId?: string | null;
  reason?: string | null;
  /** The record changed: its type and id, and the values before and after. */
  change?: { target: string; before?: Prisma.InputJsonValue; after?: Prisma.InputJsonValue };
}

/** The portal records one operation served: per type, how many and (up to a bound) which. */
export type ServedRecords = Record<string, { count: number; ids: string[] }>;

/** Collects what an operation saw and the notes its resolvers leave. */
export class AuditTrace {
  /** The field path of each response path object seen (list items share their list's). */
  private readonly pathOf = new WeakMap<GraphQLResolveInfo['path'], string>();
  /** Field paths resolved, e.g. `me.paymentMethods.last4`. */
  readonly fieldPaths = new Set<string>();
  private readonly records = new Map<string, Set<string>>();
  /** The path strings made so far, by parent path and field name. */
  private readonly childPaths = new Map<string, Map<string, string>>();
  /** The portal record whose id was added last. */
  private lastRecord: object | null = null;
  private lastType = '';
  /** Notes for the records of administrative actions. */
  readonly notes: AuditNote[] = [];

  /** @param tracking whether fields and records are collected (a staff view); notes are always kept. */
  constructor(readonly tracking: boolean) {}

  /**
   * Called as each field resolves. `record` is the parent object when the parent type is portal
   * data (its id is what was served).
   */
  fieldResolved(info: GraphQLResolveInfo, record: { id?: unknown } | null): void {
    if (!this.tracking) return;
    // The parent field's path was stored when it resolved (graphql-js reuses its path object for
    // all of its children); list indices are skipped.
    let parent = info.path.prev;
    while (parent && typeof parent.key === 'number') parent = parent.prev;
    const parentPath = parent ? this.pathOf.get(parent) : undefined;
    const path = parentPath === undefined ? info.fieldName : this.childPath(parentPath, info.fieldName);
    // Only a field with a selection has children that look its path up (leaves are most fields).
    if (info.fieldNodes[0]?.selectionSet) this.pathOf.set(info.path, path);
    if (this.fieldPaths.size < MAX_FIELD_PATHS) this.fieldPaths.add(path);
    // The fields of one record resolve one after another: its id is added once.
    const type = info.parentType.name;
    if (record && (record !== this.lastRecord || type !== this.lastType) && typeof record.id === 'string') {
      this.lastRecord = record;
      this.lastType = type;
      let ids = this.records.get(type);
      if (!ids) this.records.set(type, (ids = new Set<string>()));
      ids.add(record.id);
    }
  }

  /** `parent.field`, one string per path however many list items share it. */
  private childPath(parentPath: string, fieldName: string): string {
    let children = this.childPaths.get(parentPath);
    if (!children) this.childPaths.set(parentPath, (children = new Map()));
    let path = children.get(fieldName);
    if (path === undefined) children.set(fieldName, (path = `${parentPath}.${fieldName}`));
    return path;
  }

  /** Leaves a note for the audit record of this operation. */
  note(note: AuditNote): void {
    this.notes.push(note);
  }

  /** The portal records served, per type. */
  served(): ServedRecords {
    return Object.fromEntries(
      [...this.records].map(([type, ids]) => [type, { count: ids.size, ids: [...ids].slice(0, MAX_IDS_PER_TYPE) }]),
    );
  }
}
