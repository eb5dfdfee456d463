// One sign-in for customers and staff: the server says which the account is, and the app opens
// the portal or the admin app accordingly.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/gql.ts';
import { FormError } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { Icon } from '../ui/icons.tsx';
import { useSession } from './session.tsx';

const SignInMutation = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      token
      kind
      expiresAt
    }
  }
`);

export function SignInPage() {
  const { signIn, signedOutBecause } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [result, run] = useMutation(SignInMutation);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run({ email: email.trim(), password });
    const payload = outcome.data?.signIn;
    if (payload && (payload.kind === 'CUSTOMER' || payload.kind === 'STAFF'))
      signIn({ token: payload.token, kind: payload.kind });
  };

  return (
    <div className="sign-in">
      <main className="sign-in__panel" id="main">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            <Icon name="paw" size={28} />
          </span>
          <span className="brand__name">Tidy Tails</span>
          <span className="brand__tag">Grooming</span>
        </div>
        <h1 className="sign-in__title">Welcome back</h1>
        <p className="muted">Sign in to book visits, see report cards and pay invoices.</p>
        {signedOutBecause && (
          <div className="notice notice--info" role="status">
            {signedOutBecause}
          </div>
        )}
        <form onSubmit={(event) => void submit(event)} className="sign-in__form" aria-label="Sign in">
          <Field label="Email">
            <input
              className="input"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <Field label="Password">
            <input
              className="input"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <FormError error={result.error} />
          <button type="submit" className="button button--primary button--block" disabled={result.fetching}>
            {result.fetching ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="muted small sign-in__help">Trouble signing in? Call the salon and we will help.</p>
      </main>
      <aside className="sign-in__art" aria-hidden="true">
        <div className="sign-in__quote">
          <p>“Biscuit came home fluffy, calm and smelling wonderful.”</p>
          <span>— a happy Tidy Tails customer</span>
        </div>
      </aside>
    </div>
  );
}
