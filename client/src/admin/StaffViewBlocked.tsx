// Why a start was refused, in words: when the customer stopped this manager's last view (with her
// words) or declined their request, the server refuses with STAFF_VIEW_BLOCKED and says until when;
// the dialog says so in the manager's local time. Any other refusal reads as usual.
import type { CombinedError } from 'urql';
import { formatDateTime, formatTime } from '../format.ts';
import { FormError } from '../ui/feedback.tsx';

/** The block the server named, if the start was refused for one. */
interface Block {
  cause: 'STOPPED' | 'DECLINED';
  blockedAt: string;
  until: string;
  customerWords: string | null;
}

export function blockOf(error: CombinedError | undefined | null): Block | null {
  const found = error?.graphQLErrors.find((e) => e.extensions?.reason === 'STAFF_VIEW_BLOCKED');
  return found ? (found.extensions as unknown as Block) : null;
}

/** The refusal of a start: the customer's block in words, or the error as is. */
export function StartRefusal({ error, customerName }: { error: CombinedError | undefined; customerName: string }) {
  const block = blockOf(error);
  if (!block) return <FormError error={error} />;
  const firstName = customerName.split(' ')[0] ?? customerName;
  const what =
    block.cause === 'STOPPED'
      ? `${firstName} stopped your last view at ${formatTime(block.blockedAt)}`
      : `${firstName} declined your request at ${formatTime(block.blockedAt)}`;
  return (
    <div className="notice notice--warning notice--compact" role="alert" data-testid="staff-view-blocked">
      <p>
        {what}
        {block.customerWords ? ` and said: “${block.customerWords}”.` : '.'} You can't view {firstName}'s account or ask
        again until {formatDateTime(block.until)}, unless {firstName} allows it.
      </p>
    </div>
  );
}
