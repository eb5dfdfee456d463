// The admin app's step-up dialog: whenever an action (any mutation, a query, the audit export) is
// refused with STEP_UP_REQUIRED, the step-up exchange (stepUp.ts) asks this dialog; the manager
// gives their password again, `stepUp` renews their sign-in, and the action is sent again once.
// A wrong password keeps the dialog open with the server's words; Cancel gives the action up.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/gql.ts';
import { setStepUpPrompt } from '../stepUp.ts';
import { Dialog, DialogActions } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { FormError } from '../ui/feedback.tsx';

const StepUpMutation = graphql(`
  mutation StepUp($password: String!) {
    stepUp(password: $password) {
      validUntil
    }
  }
`);

export function StepUpPrompt() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [result, stepUp] = useMutation(StepUpMutation);
  const settle = useRef<((steppedUp: boolean) => void) | null>(null);

  useEffect(
    () =>
      setStepUpPrompt(
        () =>
          new Promise<boolean>((resolve) => {
            settle.current = resolve;
            setPassword('');
            setOpen(true);
          }),
      ),
    [],
  );
  // Unmounted while asking (signed out): the action is given up.
  useEffect(() => () => settle.current?.(false), []);

  const finish = (steppedUp: boolean) => {
    setOpen(false);
    setPassword('');
    settle.current?.(steppedUp);
    settle.current = null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await stepUp({ password });
    if (outcome.data?.stepUp) finish(true);
    else setPassword('');
  };

  if (!open) return null;
  return (
    <Dialog title="Confirm it is you" onClose={() => finish(false)} testId="step-up-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <p>This action changes who can see customers’ accounts or the audit log. You signed in a while ago.</p>
        <Field label="Your password" hint="Asked again before sensitive actions; then not for a few minutes.">
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="step-up-password"
          />
        </Field>
        <FormError error={result.error} />
        <DialogActions onCancel={() => finish(false)}>
          <button type="submit" className="button button--primary" disabled={result.fetching || password === ''}>
            {result.fetching ? 'Checking…' : 'Continue'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
